// Presence pushed: a second viewer's arrival and departure reach the first as `viewers` events on every
// two-way transport and across two instances, with no REST poll.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type Ack, type Viewer } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, openRaw, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { twoInstances } from '../test-support/instances.js';

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

  // More viewers than LIMITS.viewersListMax: every transport's push counts them all and lists the first
  // viewersListMax (in the order they opened the chat); REST lists them all.
  it('STOMP, Socket.IO and plain WS get count = total and at most the cap in the list; REST gets all', async () => {
    const room = await createRoom(server);
    const token = await tokenFor('cap-stomp');
    const stomp = await connectStomp(server, token);
    await stomp.subscribe(room.productId);
    const sio = await connectIo(server, await tokenFor('cap-io'));
    const seenIo: { count: number; viewers: Viewer[] }[] = [];
    sio.on('viewers', (body: { count: number; viewers: Viewer[] }) => seenIo.push(body));
    await sio.emitWithAck('subscribe', { roomId: room.productId });
    const raw = await openRaw(server, chat(room.productId, await tokenFor('cap-ws'), '&viewers=1'));
    const extra = LIMITS.viewersListMax + 2;
    const crowd = await Promise.all(
      Array.from({ length: extra }, async (_, i) => openRaw(server, chat(room.productId, await tokenFor(`cap-${i}`)))),
    );
    const total = extra + 3;
    const last = {
      stomp: () => stomp.control.filter((c) => c.kind === 'viewers').at(-1)?.body as { count: number; viewers: Viewer[] } | undefined,
      io: () => seenIo.at(-1),
      ws: () => raw.frames.filter((f) => f.type === 'VIEWERS').at(-1) as { count: number; viewers: Viewer[] } | undefined,
    };
    for (const [name, latest] of Object.entries(last)) {
      const push = await waitFor(() => (latest()?.count === total ? latest() : undefined), 10_000, `${name} count`);
      expect(push.viewers).toHaveLength(LIMITS.viewersListMax);
      // The first to open the chat come first.
      expect(push.viewers.slice(0, 3).map((v) => v.userId)).toEqual(['cap-stomp', 'cap-io', 'cap-ws']);
    }
    const rest = await api(server, 'GET', `/api/chat/rooms/${room.productId}/viewers`, { token });
    expect(rest.status).toBe(200);
    expect(rest.body.count).toBe(total);
    expect(new Set((rest.body.viewers as Viewer[]).map((v) => v.userId)).size).toBe(total);
    for (const c of crowd) c.ws.close();
    const after = await waitFor(() => (last.ws()?.count === 3 ? last.ws() : undefined), 10_000, 'count after leaving');
    expect(ids(after.viewers)).toEqual(['cap-io', 'cap-stomp', 'cap-ws']);
    await stomp.close();
    sio.disconnect();
    raw.ws.close();
  });
});

// Two instances on one PostgreSQL and one Redis: viewers on either are pushed to subscribers on both.
describe('viewers pushed across two instances', () => {
  let one: TestServer;
  let two: TestServer;
  const pair = twoInstances('viewers', { encrypted: true, presence: true });
  beforeAll(() => {
    ({ one, two } = pair);
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
