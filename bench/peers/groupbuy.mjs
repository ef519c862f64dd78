// Server under test: the reference server (built dist, or its source through tsx when not built) with a
// temp SQLite file (or BENCH_DB; BENCH_PORT for a fixed port), the bench JWT secret and the send limit lifted (the bench measures throughput, not the limiter).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, silentLogger } from '@groupbuy/server';

const databaseUrl = process.env.BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'groupbuy-bench-')), 'chat.db');
const server = await startServer({
  port: Number(process.env.BENCH_PORT ?? 0),
  databaseUrl,
  jwtSecret: 'bench-secret-bench-secret-bench-secret!!',
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
  ...(process.env.BENCH_CONTENT_KEY ? { contentKey: process.env.BENCH_CONTENT_KEY } : {}),
});
process.stdout.write(`READY ${server.port}\n`);
