// Presence pushed: a second viewer's arrival and departure reach the first as `viewers` events on every
// two-way transport and across two instances, with no REST poll.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Viewer } from '@groupbuy/protocol';
import { RedisBus } from '../bus/redis.js';
import { RedisPresence } from '../presence/redis.js';
import { createAesGcmCipher } from '../stores/content-cipher.js';
import { PostgresStore } from '../stores/postgres.js';
import { connectStomp, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

const ids = (list: readonly Viewer[] | undefined) => (list ?? []).map((v) => v.userId).sort();
const chat = (id: string, token: string, extra = '') => `/chat/${id}?token=${encodeURIComponent(token)}${extra}`;

function connectIo(server: TestServer, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', reject);
  });
}

describe('viewers pushed on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('STOMP: a second viewer arriving and leaving reaches the first as viewers events', async () => {
    const room = await createRoom(server);
    const a = await connectStomp(server, await tokenFor('sv-a'));
    await a.subscribe(room.productId);
    const latest = () => ids(a.control.filter((c) => c.kind === 'viewers').at(-1)?.body.viewers as Viewer[] | undefined);
    await waitFor(() => latest().join() === 'sv-a');
    const b = await connectStomp(server, await tokenFor('sv-b'));
    await b.subscribe(room.productId);
    await waitFor(() => latest().join() === 'sv-a,sv-b');
    expect(a.control.at(-1)?.body).toMatchObject({ roomId: room.productId });
    await b.close();
    await waitFor(() => latest().join() === 'sv-a');
    await a.close();
  });

  it('Socket.IO: a second viewer arriving and leaving reaches the first as viewers events', async () => {
    const room = await createRoom(server);
    const a = await connectIo(server, await tokenFor('io-a'));
    const seen: { roomId: string; viewers: Viewer[] }[] = [];
    a.on('viewers', (body: { roomId: string; viewers: Viewer[] }) => seen.push(body));
    expect(await (a.emitWithAck('subscribe', { roomId: room.productId }) as Promise<Ack>)).toMatchObject({ ok: true });
    await waitFor(() => ids(seen.at(-1)?.viewers).join() === 'io-a');
    const b = await connectIo(server, await tokenFor('io-b'));
    await b.emitWithAck('subscribe', { roomId: room.productId });
    await waitFor(() => ids(seen.at(-1)?.viewers).join() === 'io-a,io-b');
    expect(seen.at(-1)?.roomId).toBe(room.productId);
    b.disconnect();
    await waitFor(() => ids(seen.at(-1)?.viewers).join() === 'io-a');
    a.disconnect();
  });

  it('plain WebSocket: VIEWERS objects when the URL asks with viewers=1, none for the seed hook without it', async () => {
    const room = await createRoom(server);
    const a = await openRaw(server, chat(room.productId, await tokenFor('ws-a'), '&viewers=1'));
    const seed = await openRaw(server, chat(room.productId, await tokenFor('ws-seed')));
    const latest = () => ids(a.frames.filter((f) => f.type === 'VIEWERS').at(-1)?.viewers as Viewer[] | undefined);
    await waitFor(() => latest().join() === 'ws-a,ws-seed');
    const b = await openRaw(server, chat(room.productId, await tokenFor('ws-b'), '&viewers=1'));
    await waitFor(() => latest().join() === 'ws-a,ws-b,ws-seed');
    b.ws.close();
    await waitFor(() => latest().join() === 'ws-a,ws-seed');
    // A later message is a barrier: every VIEWERS push before it would have reached the seed's socket too.
    seed.ws.send(JSON.stringify({ content: 'barrier' }));
    await waitFor(() => seed.frames.some((f) => f.content === 'barrier'));
    expect(seed.frames.filter((f) => f.type !== 'CHAT')).toEqual([]);
    a.ws.close();
    seed.ws.close();
  });
});

// Two instances on one PostgreSQL and one Redis: viewers on either are pushed to subscribers on both.
describe('viewers pushed across two instances', () => {
  const schema = `gb_viewers_${randomBytes(4).toString('hex')}`;
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  const key = randomBytes(32);
  let one: TestServer;
  let two: TestServer;

  const instance = async () =>
    startTestServer({
      store: await PostgresStore.open({ connectionString: DATABASE_URL, schema, cipher: createAesGcmCipher(key) }),
      bus: await RedisBus.open({ url: REDIS_URL, prefix }),
      presence: new RedisPresence({ url: REDIS_URL, prefix }),
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

  it("pushes a viewer on the other instance arriving and leaving to the first one's subscriber", async () => {
    const room = await createRoom(one);
    const a = await connectStomp(one, await tokenFor('x-a'));
    await a.subscribe(room.productId);
    const latest = () => ids(a.control.filter((c) => c.kind === 'viewers').at(-1)?.body.viewers as Viewer[] | undefined);
    await waitFor(() => latest().join() === 'x-a');
    const b = await connectIo(two, await tokenFor('x-b'));
    const seenByB: Viewer[][] = [];
    b.on('viewers', (body: { viewers: Viewer[] }) => seenByB.push(body.viewers));
    await b.emitWithAck('subscribe', { roomId: room.productId });
    await waitFor(() => latest().join() === 'x-a,x-b');
    await waitFor(() => ids(seenByB.at(-1)).join() === 'x-a,x-b');
    b.disconnect();
    await waitFor(() => latest().join() === 'x-a');
    await a.close();
  });
});
