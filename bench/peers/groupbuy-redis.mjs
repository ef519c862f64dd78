// Server under test for scenario 7: the reference server on a shared SQLite file (BENCH_DB) and one Redis
// (BENCH_REDIS_URL, channel prefix BENCH_REDIS_PREFIX), the send limit lifted, like peers/groupbuy.mjs.
import { RedisBus, startServer, silentLogger } from '@groupbuy/server';

const url = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const server = await startServer({
  port: 0,
  databaseUrl: process.env.BENCH_DB,
  jwtSecret: 'bench-secret-bench-secret-bench-secret!!',
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
  redisUrl: url,
  bus: await RedisBus.open({ url, prefix: process.env.BENCH_REDIS_PREFIX ?? 'groupbuy:' }),
});
process.stdout.write(`READY ${server.port}\n`);
