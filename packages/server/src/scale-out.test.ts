import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus } from './bus/redis.js';
import { createAesGcmCipher } from './stores/content-cipher.js';
import { PostgresStore } from './stores/postgres.js';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from './test-support/harness.js';

/** PostgreSQL and Redis as CI starts them on this machine. */
const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

// Two server instances behind a load balancer: one PostgreSQL database, one Redis, nothing shared in memory.
describe('two instances on PostgreSQL and Redis', () => {
  const schema = `gb_scale_${randomBytes(4).toString('hex')}`;
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  const key = randomBytes(32);
  let one: TestServer;
  let two: TestServer;

  const instance = async () =>
    startTestServer({
      store: await PostgresStore.open({ connectionString: DATABASE_URL, schema, cipher: createAesGcmCipher(key) }),
      bus: await RedisBus.open({ url: REDIS_URL, prefix }),
    });

  beforeAll(async () => {
    one = await instance();
    two = await instance();
  });
  afterAll(async () => {
    await one?.dispose();
    await two?.dispose();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('holds the cap when joins race across both instances', async () => {
    const room = await createRoom(one, { maxParticipants: 5 });
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const target = i % 2 === 0 ? one : two;
        return (await api(target, 'POST', `/api/chat/rooms/${room.productId}/participants`, { token: await tokenFor(`racer${i}`) })).status;
      }),
    );
    expect(results.filter((s) => s === 201)).toHaveLength(5);
    expect(results.filter((s) => s === 409)).toHaveLength(19);
    const after = await api(two, 'GET', `/api/chat/rooms/${room.productId}`, { token: await tokenFor('x') });
    expect(after.body).toMatchObject({ status: 'CLOSED', participantCount: 5 });
  });

  it('gives every subscriber on either instance the same gap-free stream', async () => {
    const room = await createRoom(one);
    const a = await connectStomp(one, await tokenFor('ia'));
    const b = await connectStomp(two, await tokenFor('ib'));
    await a.subscribe(room.productId);
    await b.subscribe(room.productId);
    await Promise.all([
      (async () => {
        for (let i = 0; i < 8; i++) await a.send(room.productId, { content: `a${i}` });
      })(),
      (async () => {
        for (let i = 0; i < 8; i++) await b.send(room.productId, { content: `b${i}` });
      })(),
    ]);
    for (const peer of [a, b]) {
      await waitFor(() => peer.messages.get(room.productId)?.length === 16);
      const seqs = peer.messages
        .get(room.productId)!
        .map((m) => m.seq)
        .sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    }
    await a.close();
    await b.close();
  });
});
