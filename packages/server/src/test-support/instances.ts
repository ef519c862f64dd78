import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { RedisBus } from '../bus/redis.js';
import { RedisPresence } from '../presence/redis.js';
import { createAesGcmCipher } from '../stores/content-cipher.js';
import { PostgresStore } from '../stores/postgres.js';
import { startTestServer, type TestServer } from './harness.js';

/** PostgreSQL for tests (trust auth on loopback). */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Redis for tests. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** What {@link twoInstances} options change. */
export interface TwoInstancesOptions {
  /** Content encrypted at rest with one shared random key. @default false */
  encrypted?: boolean;
  /** Viewers kept in Redis too (RedisPresence), not only in each instance. @default false */
  presence?: boolean;
  /** The send limit and slow mode's cooldowns in Redis (`redisUrl`), as a deployment has them. @default false */
  sharedLimits?: boolean;
}

/**
 * Two servers behind one imaginary load balancer: one PostgreSQL schema and one Redis prefix of their own
 * (random, so parallel files never meet), started before the calling `describe`'s tests and disposed after
 * them, the schema dropped. Read `one` / `two` inside the tests (they are set in beforeAll).
 */
export function twoInstances(name: string, options: TwoInstancesOptions = {}): { readonly one: TestServer; readonly two: TestServer } {
  const schema = `gb_${name}_${randomBytes(4).toString('hex')}`;
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  const key = randomBytes(32);
  const servers: TestServer[] = [];
  const instance = async (): Promise<TestServer> =>
    startTestServer({
      store: await PostgresStore.open({
        connectionString: TEST_DATABASE_URL,
        schema,
        ...(options.encrypted ? { cipher: createAesGcmCipher(key) } : {}),
      }),
      bus: await RedisBus.open({ url: TEST_REDIS_URL, prefix }),
      ...(options.presence ? { presence: new RedisPresence({ url: TEST_REDIS_URL, prefix }) } : {}),
      ...(options.sharedLimits ? { redisUrl: TEST_REDIS_URL } : {}),
    });
  beforeAll(async () => {
    servers.push(await instance());
    servers.push(await instance());
  });
  afterAll(async () => {
    for (const server of servers) await server.dispose();
    await dropSchema(schema);
  });
  return {
    get one() {
      return servers[0]!;
    },
    get two() {
      return servers[1]!;
    },
  };
}
