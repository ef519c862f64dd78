import { afterEach, describe, expect, it } from 'vitest';
import { createChatClient, type ChatClient, type RoomSession } from '@groupbuy/sdk';
import { createInProcessServer, playDeal, type InProcessServer, type TestUser } from './index.js';

const HOUR = 3_600_000;
const ann: TestUser = { userId: 'ann', name: 'Ann' };
const bob: TestUser = { userId: 'bob', name: 'Bob' };

const open: Array<{ close(): void } | InProcessServer> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) {
    if ('dispose' in item) await item.dispose();
    else item.close();
  }
});

function server(options: Parameters<typeof createInProcessServer>[0] = {}): InProcessServer {
  const s = createInProcessServer(options);
  open.push(s);
  return s;
}

function client(s: InProcessServer, user: TestUser): ChatClient {
  const c = createChatClient({
    baseUrl: s.baseUrl,
    fetch: s.fetch,
    transport: s.transport,
    getToken: () => s.tokenFor(user),
    reconnectInitialDelayMs: 10,
    reconnectMaxDelayMs: 50,
    platform: { subscribe: () => () => {}, isOnline: () => true },
  });
  open.push(c);
  return c;
}

async function until<T>(what: string, check: () => T): Promise<NonNullable<T>> {
  for (let i = 0; i < 2000; i += 1) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function opened(s: InProcessServer, user: TestUser, productId: string): Promise<RoomSession> {
  const session = client(s, user).room(productId);
  await session.ready();
  return session;
}

describe('in-process server', () => {
  it('answers REST with the server routes and its errors, dated by its clock', async () => {
    const s = server({ clockSkewMs: 2 * HOUR });
    const res = await s.fetch(`${s.baseUrl}/api/chat/rooms/no-such-room`, {
      headers: { authorization: `Bearer ${await s.tokenFor(ann)}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'ROOM_NOT_FOUND' } });
    expect(Math.abs(Date.parse(res.headers.get('date') ?? '') - (Date.now() + 2 * HOUR))).toBeLessThan(2_000);
  });

  it('plays a deal from ACTIVE to FILLED: every client sees the joins and the close', async () => {
    const s = server();
    await s.addRoom({ productId: 'tangerines', title: 'Tangerines', maxParticipants: 3, participants: [bob] });
    const session = await opened(s, ann, 'tangerines');
    const playback = playDeal(s, 'tangerines', { stepMs: 1 });
    await playback.done;
    await until('the room to read CLOSED', () => session.room?.status === 'CLOSED');
    expect(session.room?.participantCount).toBe(3);
    const system = session.messages.filter((m) => m.type === 'SYSTEM').map((m) => m.event?.type);
    expect(system.slice(-3)).toEqual(['JOINED', 'JOINED', 'CLOSED']);
  });

  it('cancels a deal short of its minimum when the clock is advanced past the deadline', async () => {
    const s = server();
    await s.addRoom({
      productId: 'apples',
      title: 'Apples',
      maxParticipants: 10,
      minParticipants: 5,
      expiresAt: s.now() + HOUR,
      participants: [bob],
    });
    const session = await opened(s, bob, 'apples');
    await s.advance(HOUR);
    await until('the room to read CANCELLED', () => session.room?.status === 'CANCELLED');
    expect(session.messages.at(-1)).toMatchObject({ type: 'SYSTEM', event: { type: 'CANCELLED', reason: 'DEADLINE' } });
  });

  it('seeds history in time order with the SYSTEM JOINED messages a real join writes, and a room seeded full is CLOSED', async () => {
    const s = server();
    const t = s.now();
    const room = await s.addRoom({
      productId: 'pears',
      title: 'Pears',
      maxParticipants: 2,
      createdAt: t - 3 * HOUR,
      participants: [
        { ...ann, joinedAt: t - 2 * HOUR },
        { ...bob, joinedAt: t - 30 * 60_000 },
      ],
      messages: [{ sender: ann, content: 'hello', createdAt: t - HOUR }],
    });
    expect(room).toMatchObject({ status: 'CLOSED', participantCount: 2, lastSeq: 4 });
    const session = await opened(s, ann, 'pears');
    expect(session.messages.map((m) => m.event?.type ?? m.content)).toEqual(['JOINED', 'hello', 'JOINED', 'CLOSED']);
  });

  it('refuses every earlier token after expireTokens, ending live connections with UNAUTHENTICATED', async () => {
    const s = server();
    await s.addRoom({ productId: 'plums', title: 'Plums' });
    const old = await s.tokenFor(ann);
    const session = await opened(s, ann, 'plums');
    const codes: string[] = [];
    session.on('error', (e) => codes.push(e.code));
    s.expireTokens();
    const refused = await s.fetch(`${s.baseUrl}/api/chat/rooms/plums/messages`, { headers: { authorization: `Bearer ${old}` } });
    expect(refused.status).toBe(401);
    // The client's token provider mints a new one, which is accepted: it carries on.
    const after = session.send('still here');
    await until('the send on a fresh token', () => session.messages.find((m) => m.clientMsgId === after.clientMsgId)?.status === 'sent');
  });

  it('holds sends until released and refuses them while failing', async () => {
    const s = server();
    await s.addRoom({ productId: 'figs', title: 'Figs' });
    const session = await opened(s, ann, 'figs');
    s.holdSends();
    const held = session.send('held');
    await new Promise((r) => setTimeout(r, 20));
    expect(session.messages.find((m) => m.clientMsgId === held.clientMsgId)?.status).toBe('pending');
    s.releaseSends();
    await until('the held send to be stored', () => session.messages.find((m) => m.clientMsgId === held.clientMsgId)?.status === 'sent');
    s.failSends({ code: 'INTERNAL', message: 'boom' });
    const failed = session.send('fails');
    await until('the send to fail', () => session.messages.find((m) => m.clientMsgId === failed.clientMsgId)?.status === 'failed');
  });

  it('lists watchers opened by watch() as viewers until the deal ends for them', async () => {
    const s = server();
    await s.addRoom({ productId: 'kiwis', title: 'Kiwis', maxParticipants: 1, viewers: [bob] });
    const token = await s.tokenFor(ann);
    const viewers = async (): Promise<unknown> =>
      (await (
        await s.fetch(`${s.baseUrl}/api/chat/rooms/kiwis/viewers`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as unknown;
    expect(await viewers()).toEqual({ count: 1, viewers: [{ userId: 'bob', name: 'Bob' }] });
    await s.join('kiwis', ann); // fills the deal: bob, a watcher, loses the chat
    await until('bob to be gone', () => s.core.hub.viewers('kiwis').length === 0);
  });
});
