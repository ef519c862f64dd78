// Server under test: the reference server (built dist, or its source through tsx when not built) with a
// temp SQLite file (or BENCH_DB; BENCH_PORT for a fixed port), the bench JWT secret and the send limit lifted
// (the bench measures throughput, not the limiter). BENCH_GROUP_COMMIT=0|1 opens the SQLite store itself with
// group commit off or on (AES-GCM content, as the default server's key file gives), for paired runs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteStore, createAesGcmCipher, startServer, silentLogger } from '@groupbuy/server';

const databaseUrl = process.env.BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'groupbuy-bench-')), 'chat.db');
const groupCommit = process.env.BENCH_GROUP_COMMIT;
const server = await startServer({
  port: Number(process.env.BENCH_PORT ?? 0),
  databaseUrl,
  jwtSecret: 'bench-secret-bench-secret-bench-secret!!',
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
  ...(process.env.BENCH_CONTENT_KEY ? { contentKey: process.env.BENCH_CONTENT_KEY } : {}),
  ...(groupCommit === undefined
    ? {}
    : {
        store: SqliteStore.open({ path: databaseUrl, cipher: createAesGcmCipher(randomBytes(32)), groupCommit: groupCommit !== '0' }),
        attachmentDir: join(dirname(databaseUrl), 'attachments'),
      }),
});
process.stdout.write(`READY ${server.port}\n`);
// Profiled (BENCH_PROFILE): exit normally on SIGTERM, so node writes the profile.
if (process.env.BENCH_PROFILE) process.once('SIGTERM', () => process.exit(0));
