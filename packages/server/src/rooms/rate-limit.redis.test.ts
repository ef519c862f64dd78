import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChatError } from '@groupbuy/protocol';
import type { LogFields, Logger, LogLevel } from '../logger.js';
import { Metrics } from '../metrics.js';
import { waitFor } from '../test-support/harness.js';
import { RateLimiter, type Limiter, type RateLimit } from './rate-limit.js';
import { RedisRateLimiter } from './redis-rate-limit.js';

/** The shared Redis as CI starts it; every test uses its own key prefix. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

interface Line {
  level: LogLevel;
  msg: string;
  fields: LogFields | undefined;
}

function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  return { lines, log: (level, msg, fields) => void lines.push({ level, msg, fields }) };
}

/** The error `take` rejected with, or null when it allowed the send. */
async function attempt(limiter: Limiter, key: string): Promise<ChatError | null> {
  try {
    await limiter.take(key);
    return null;
  } catch (err) {
    return err as ChatError;
  }
}

const opened: RedisRateLimiter[] = [];
async function open(limit: RateLimit, extra: { url?: string; prefix?: string; logger?: Logger; metrics?: Metrics } = {}) {
  const limiter = await RedisRateLimiter.open({
    url: extra.url ?? REDIS_URL,
    prefix: extra.prefix ?? `gbtest:${randomBytes(4).toString('hex')}:`,
    limit,
    fallback: new RateLimiter(limit, () => Date.now()),
    timeoutMs: 300,
    ...(extra.logger ? { logger: extra.logger } : {}),
    ...(extra.metrics ? { metrics: extra.metrics } : {}),
  });
  opened.push(limiter);
  return limiter;
}

afterAll(async () => {
  for (const limiter of opened.splice(0)) await limiter.close();
});

describe('RedisRateLimiter (one token bucket for every instance)', () => {
  it('gives two instances one allowance between them, then RATE_LIMITED with retryAfterMs', async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    // An hour's refill: no token comes back while the test runs, so the count is exact.
    const limit = { capacity: 10, refillMs: 3_600_000 };
    const one = await open(limit, { prefix });
    const two = await open(limit, { prefix });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i % 2 === 0 ? one : two, 'kim\u0000p1')));
    const allowed = results.filter((r) => r === null).length;
    console.log(`two limiters, 30 racing takes: allowed ${allowed} vs allowance ${limit.capacity}`);
    expect(allowed).toBe(10);
    const refused = results.find((r) => r !== null);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
    // One token per 360 000 ms; the wait is at most that and more than nothing.
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(360_000);
    expect(refused?.message).toMatch(/Try again in \d+ s/);
  });

  it('keeps a bucket per key: another user or another room is not limited by the first', async () => {
    const limiter = await open({ capacity: 2, refillMs: 3_600_000 });
    await limiter.take('kim\u0000p1');
    await limiter.take('kim\u0000p1');
    expect((await attempt(limiter, 'kim\u0000p1'))?.code).toBe('RATE_LIMITED');
    expect(await attempt(limiter, 'lee\u0000p1')).toBeNull();
    expect(await attempt(limiter, 'kim\u0000p2')).toBeNull();
  });

  it('allows one more send once retryAfterMs has passed, and only one', async () => {
    const limiter = await open({ capacity: 2, refillMs: 400 });
    await limiter.take('k');
    await limiter.take('k');
    const refused = await attempt(limiter, 'k');
    expect(refused?.code).toBe('RATE_LIMITED');
    await new Promise((r) => setTimeout(r, refused!.retryAfterMs! + 5));
    expect(await attempt(limiter, 'k')).toBeNull();
    expect((await attempt(limiter, 'k'))?.code).toBe('RATE_LIMITED');
  });
});

/** A free loopback port, by listening on 0 and closing. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A redis-server of this test's own (never the shared one), ready to take commands. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('Ready to accept connections'), 10_000, 'redis-server to start');
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('RedisRateLimiter while Redis is unreachable', () => {
  const servers: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of servers.splice(0)) await stopRedis(child);
  });

  it('fails open to the instance’s own bucket, logs the outage once and the recovery once, counts each fallback', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    servers.push(redis);
    const logger = recordingLogger();
    const metrics = new Metrics();
    const limit = { capacity: 5, refillMs: 3_600_000 };
    const limiter = await open(limit, { url: `redis://127.0.0.1:${port}/0`, logger, metrics });
    expect(await attempt(limiter, 'before')).toBeNull();

    await stopRedis(redis);
    // Open, not closed: the sends go through, still limited by this instance's bucket.
    const during = await Promise.all(Array.from({ length: 8 }, () => attempt(limiter, 'during')));
    expect(during.filter((r) => r === null)).toHaveLength(limit.capacity);
    expect(during.filter((r) => r?.code === 'RATE_LIMITED')).toHaveLength(8 - limit.capacity);
    const outage = logger.lines.filter((l) => l.msg.includes('Redis unreachable'));
    expect(outage).toHaveLength(1);
    expect(outage[0]).toMatchObject({ level: 'warn', fields: { code: 'UNAVAILABLE' } });
    expect(metrics.value('groupbuy_rate_limit_fallback_total')).toBe(8);
    console.log(`Redis down: 8 takes answered by the fallback (allowed ${limit.capacity}), outage logged ${outage.length}×`);

    redis = await startRedis(port);
    servers.push(redis);
    // ioredis reconnects by itself; until it has, takes keep falling back (and log nothing new).
    await waitFor(
      async () => (await attempt(limiter, `after-${randomBytes(2).toString('hex')}`)) === null && limiter.clusterWide,
      15_000,
      'recovery',
    );
    for (let i = 0; i < 3; i++) await limiter.take(`after-more-${i}`);
    expect(logger.lines.filter((l) => l.msg.includes('Redis unreachable'))).toHaveLength(1);
    expect(logger.lines.filter((l) => l.msg.includes('Redis reachable again'))).toHaveLength(1);
    expect(logger.lines.find((l) => l.msg.includes('reachable again'))?.level).toBe('info');
  });
});
