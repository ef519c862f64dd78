// Server under test for scenario 8: the reference server serving the built widget at /elements/ (WIDGET_DIR =
// packages/elements/dist) beside the chat, so the page the browser opens loads it as a shop page would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, silentLogger } from '@groupbuy/server';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  databaseUrl: join(mkdtempSync(join(tmpdir(), 'groupbuy-bench-widget-')), 'chat.db'),
  jwtSecret: 'bench-secret-bench-secret-bench-secret!!',
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
  widgetDir: fileURLToPath(new URL('../../packages/elements/dist', import.meta.url)),
});
process.stdout.write(`READY ${server.port}\n`);
