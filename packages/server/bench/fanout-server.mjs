// The server under test for fanout-profile.mjs, in its own process (so `--cpu-prof` and RSS are the server's
// alone): runs the sources through tsx, prints `{ url, pid }` on stdout, stops on SIGTERM (writing its profile).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, silentLogger } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'groupbuy-fanout-'));
const server = await startServer({
  port: 0,
  databaseUrl: join(dir, 'chat.db'),
  jwtSecret: process.env.BENCH_SECRET,
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
  contentKey: randomBytes(32).toString('base64'),
  slowConsumerBytes: 1024 * 1024 * 1024,
});
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n');
process.once('SIGTERM', () => {
  void server.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
// `gc` on stdin: a full collection, then `{ rss, heap }` on stdout.
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  setTimeout(
    () => process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed }) + '\n'),
    100,
  );
});
