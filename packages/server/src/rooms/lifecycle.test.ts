import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, ErrorCode, Room, RoomStatus } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { SqliteStore } from '../stores/sqlite.js';
import type { ChatStore } from '../stores/types.js';
import type { Clock } from './service.js';

const ROOMS = '/api/chat/rooms';

let server: TestServer;
let service: string;
beforeAll(async () => {
  server = await startTestServer();
  service = await tokenFor('trade-service', { role: 'service' });
});
afterAll(async () => {
  await server.dispose();
});

async function join(s: { url: string }, productId: string, userId: string) {
  return api(s, 'POST', `${ROOMS}/${productId}/participants`, { token: await tokenFor(userId) });
}

async function roomOf(s: { url: string }, productId: string): Promise<Room> {
  return (await api(s, 'GET', `${ROOMS}/${productId}`, { token: service })).body as Room;
}

async function messagesOf(s: { url: string }, productId: string): Promise<ChatMessage[]> {
  return (await api(s, 'GET', `${ROOMS}/${productId}/messages?limit=100`, { token: service })).body.messages as ChatMessage[];
}

/** Waits until the room reaches `status` (the deadline timer runs on its own schedule). */
async function waitForStatus(s: { url: string }, productId: string, status: RoomStatus): Promise<Room> {
  return waitFor(
    async () => {
      const room = await roomOf(s, productId);
      return room.status === status ? room : null;
    },
    10_000,
    `${productId} to become ${status}`,
  );
}

type StoreOverrides = { [K in keyof ChatStore]?: (target: ChatStore) => ChatStore[K] };

/**
 * A test server on a real SQLite store in which some calls can be held back, as a remote database's
 * would be (PostgreSQL); everything else goes straight to the store.
 */
async function startSlowServer(overrides: StoreOverrides): Promise<TestServer> {
  const dir = mkdtempSync(joinPath(tmpdir(), 'groupbuy-slow-'));
  const sqlite: ChatStore = SqliteStore.open({ path: joinPath(dir, 'chat.db') });
  const store = new Proxy(sqlite, {
    get(target, prop: keyof ChatStore) {
      const override = overrides[prop];
      if (override) return override(target);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return startTestServer({ dir, store });
}

/** Status and error code of a response, for compact comparisons. */
function outcome(res: { status: number; body: any }): { status: number; code?: ErrorCode } {
  return res.status < 400 ? { status: res.status } : { status: res.status, code: res.body?.error?.code };
}

describe('an ACTIVE deal', () => {
  it('lets anyone signed in read its messages and participants', async () => {
    const room = await createRoom(server);
    await join(server, room.productId, 'buyer');
    const watcher = await tokenFor('watcher');
    expect(outcome(await api(server, 'GET', `${ROOMS}/${room.productId}/messages`, { token: watcher }))).toEqual({ status: 200 });
    expect(outcome(await api(server, 'GET', `${ROOMS}/${room.productId}/participants`, { token: watcher }))).toEqual({ status: 200 });
  });

  it('writes a SYSTEM JOINED message with a room snapshot when a buyer joins, and LEFT when they leave', async () => {
    const room = await createRoom(server, { maxParticipants: 5 });
    await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: await tokenFor('choi', { name: 'Choi' }) });
    await join(server, room.productId, 'han');
    await api(server, 'DELETE', `${ROOMS}/${room.productId}/participants/me`, { token: await tokenFor('choi') });
    const messages = await messagesOf(server, room.productId);
    expect(messages.map((m) => ({ seq: m.seq, type: m.type, sender: m.sender, event: m.event, room: m.room }))).toEqual([
      {
        seq: 1,
        type: 'SYSTEM',
        sender: null,
        event: { type: 'JOINED', userId: 'choi', name: 'Choi' },
        room: { status: 'ACTIVE', participantCount: 1, maxParticipants: 5 },
      },
      {
        seq: 2,
        type: 'SYSTEM',
        sender: null,
        event: { type: 'JOINED', userId: 'han', name: 'User han' },
        room: { status: 'ACTIVE', participantCount: 2, maxParticipants: 5 },
      },
      {
        seq: 3,
        type: 'SYSTEM',
        sender: null,
        event: { type: 'LEFT', userId: 'choi', name: 'Choi' },
        room: { status: 'ACTIVE', participantCount: 1, maxParticipants: 5 },
      },
    ]);
    expect(messages.every((m) => m.content.length > 0)).toBe(true);
  });

  it('refuses a join by the trade service with 403 FORBIDDEN and adds no buyer', async () => {
    const room = await createRoom(server);
    const res = await api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token: service });
    expect(outcome(res)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await roomOf(server, room.productId)).participantCount).toBe(0);
  });

  it('refuses a join of a room that does not exist with 404 ROOM_NOT_FOUND', async () => {
    expect(outcome(await join(server, 'no-such-product', 'buyer'))).toEqual({ status: 404, code: 'ROOM_NOT_FOUND' });
  });

  it('writes nothing for a repeated join or a leave by someone who is not in', async () => {
    const room = await createRoom(server);
    await join(server, room.productId, 'once');
    await join(server, room.productId, 'once');
    await api(server, 'DELETE', `${ROOMS}/${room.productId}/participants/me`, { token: await tokenFor('never-joined') });
    expect((await messagesOf(server, room.productId)).map((m) => m.event?.type)).toEqual(['JOINED']);
  });

  it('closes at once, reason FILLED, on the join that reaches the cap', async () => {
    const room = await createRoom(server, { maxParticipants: 3, minParticipants: 1 });
    await join(server, room.productId, 'f1');
    await join(server, room.productId, 'f2');
    const last = await join(server, room.productId, 'f3');
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ status: 'CLOSED', participantCount: 3, closedAt: expect.any(String) });
    const tail = (await messagesOf(server, room.productId)).slice(-2);
    expect(tail.map((m) => [m.seq, m.event, m.room])).toEqual([
      [3, { type: 'JOINED', userId: 'f3', name: 'User f3' }, { status: 'ACTIVE', participantCount: 3, maxParticipants: 3 }],
      [4, { type: 'CLOSED', reason: 'FILLED' }, { status: 'CLOSED', participantCount: 3, maxParticipants: 3 }],
    ]);
  });

  it('holds the cap under 40 concurrent joins for max 10: exactly 10 buyers, the rest refused with 409 ROOM_FULL', async () => {
    const room = await createRoom(server, { maxParticipants: 10 });
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => tokenFor(`rush-${i}`)));
    const results = await Promise.all(tokens.map((token) => api(server, 'POST', `${ROOMS}/${room.productId}/participants`, { token })));
    const joined = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(joined).toHaveLength(10);
    expect(refused).toHaveLength(30);
    // The cap is checked before the status (protocol rules.ts): a join that lost the race for the last
    // seat hears that the deal is full, whether it ran before or after the filling join closed the room.
    for (const r of refused) expect(outcome(r).code).toBe('ROOM_FULL');
    expect(refused.every((r) => r.status === 409)).toBe(true);

    expect(await roomOf(server, room.productId)).toMatchObject({ status: 'CLOSED', participantCount: 10 });
    const participants = (await api(server, 'GET', `${ROOMS}/${room.productId}/participants`, { token: service })).body.participants;
    expect(participants).toHaveLength(10);
    const messages = await messagesOf(server, room.productId);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(messages.filter((m) => m.event?.type === 'JOINED')).toHaveLength(10);
    expect(messages[10]!.event).toEqual({ type: 'CLOSED', reason: 'FILLED' });
  });

  it('lets a watcher who has not joined chat while the deal recruits', async () => {
    const room = await createRoom(server);
    const watcher = await connectStomp(server, await tokenFor('curious'));
    try {
      expect(await watcher.send(room.productId, { content: 'Is shipping free?', clientMsgId: 'q-1' })).toEqual({ ok: true });
    } finally {
      await watcher.close();
    }
  });
});

describe('the deadline', () => {
  it('closes a deal with at least minParticipants buyers when it expires, reason DEADLINE', async () => {
    const room = await createRoom(server, { maxParticipants: 5, minParticipants: 2, expiresInMs: 500 });
    await join(server, room.productId, 'd1');
    await join(server, room.productId, 'd2');
    const settled = await waitForStatus(server, room.productId, 'CLOSED');
    expect(settled).toMatchObject({ participantCount: 2, closedAt: expect.any(String) });
    const last = (await messagesOf(server, room.productId)).at(-1)!;
    expect(last).toMatchObject({
      type: 'SYSTEM',
      event: { type: 'CLOSED', reason: 'DEADLINE' },
      room: { status: 'CLOSED', participantCount: 2, maxParticipants: 5 },
    });
  });

  it('cancels a deal with fewer than minParticipants buyers when it expires, reason DEADLINE', async () => {
    const room = await createRoom(server, { maxParticipants: 5, minParticipants: 3, expiresInMs: 400 });
    await join(server, room.productId, 'lonely');
    await waitForStatus(server, room.productId, 'CANCELLED');
    const last = (await messagesOf(server, room.productId)).at(-1)!;
    expect(last).toMatchObject({
      type: 'SYSTEM',
      event: { type: 'CANCELLED', reason: 'DEADLINE' },
      room: { status: 'CANCELLED', participantCount: 1, maxParticipants: 5 },
    });
  });

  it('settles several deals with different deadlines, each at its own', async () => {
    const rooms = await Promise.all([300, 550, 800].map((ms) => createRoom(server, { minParticipants: 1, expiresInMs: ms })));
    for (const room of rooms) await waitForStatus(server, room.productId, 'CANCELLED');
  });

  it('settles a deal whose deadline is earlier than any deal already waiting', async () => {
    const own = await startTestServer();
    try {
      await createRoom(own, { expiresInMs: 3_600_000 });
      const soon = await createRoom(own, { minParticipants: 1, expiresInMs: 400 });
      await waitForStatus(own, soon.productId, 'CANCELLED');
    } finally {
      await own.dispose();
    }
  });

  it('settles a deal created while the timer is busy settling others, even when the database answers slowly', async () => {
    let entered!: () => void;
    const enteredP = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let armed = false;
    const own = await startSlowServer({
      // Held once, after the timer has settled `first`: the window between reading the next deadline and
      // arming the timer is where a new room slips in.
      nextDeadline: (target) => async () => {
        const next = await target.nextDeadline();
        if (armed) {
          armed = false;
          entered();
          await released;
        }
        return next;
      },
    });
    try {
      armed = true;
      const first = await createRoom(own, { minParticipants: 1, expiresInMs: 300 });
      await enteredP;
      const second = await createRoom(own, { minParticipants: 1, expiresInMs: 300 });
      release();
      await waitForStatus(own, first.productId, 'CANCELLED');
      await waitForStatus(own, second.productId, 'CANCELLED');
    } finally {
      await own.dispose();
    }
  });

  describe('with the timers observed', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('arms one timer, for the earliest deadline, however many deals are waiting', async () => {
      const own = await startTestServer();
      // Only timers this long can be deadline timers: nothing else in the process waits for hours.
      const longMs = 4 * 3_600_000;
      const live = new Map<unknown, number>();
      const realSetTimeout = globalThis.setTimeout;
      const realClearTimeout = globalThis.clearTimeout;
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const handle = realSetTimeout(() => {
          live.delete(handle);
          fn(...args);
        }, ms);
        if ((ms ?? 0) >= longMs) live.set(handle, ms!);
        return handle;
      }) as typeof setTimeout);
      vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle?: Parameters<typeof clearTimeout>[0]) => {
        live.delete(handle);
        realClearTimeout(handle);
      });
      try {
        const offsetsMin = [7, 3, 9, 0, 5, 1, 8, 2, 6, 4, 12, 10, 11, 15, 13, 14, 19, 16, 18, 17];
        for (const min of offsetsMin) await createRoom(own, { expiresInMs: 5 * 3_600_000 + min * 60_000 });
        expect(live.size).toBe(1);
        // The armed delay is (earliest deadline − now): about 5 h, well below the next room's 5 h 1 min.
        expect([...live.values()][0]).toBeLessThan(5 * 3_600_000 + 60_000);
      } finally {
        vi.restoreAllMocks();
        await own.dispose();
      }
    });
  });

  it('settles on start-up the deals whose deadline passed while the server was down', async () => {
    // The first run's clock stands still, so its timer never finds the deals due: only start-up can settle them.
    const frozenAt = Date.now();
    const frozen: Clock = { now: () => frozenAt };
    const first = await startTestServer({ clock: frozen });
    const dir = first.dir;
    let second: TestServer | null = null;
    try {
      const enough = await createRoom(first, { maxParticipants: 5, minParticipants: 2, expiresInMs: 600 });
      const tooFew = await createRoom(first, { maxParticipants: 5, minParticipants: 3, expiresInMs: 600 });
      await join(first, enough.productId, 'r1');
      await join(first, enough.productId, 'r2');
      await join(first, tooFew.productId, 'r3');
      await api(first, 'POST', `${ROOMS}/${enough.productId}/notifications`, { token: service, body: { content: 'Packed and ready' } });
      await first.close();

      const deadline = Math.max(Date.parse(enough.expiresAt), Date.parse(tooFew.expiresAt));
      await waitFor(() => Date.now() > deadline, 10_000, 'the deadline to pass while the server is down');
      second = await startTestServer({ dir });

      // No waiting here: start-up settles before the server listens.
      expect(await roomOf(second, enough.productId)).toMatchObject({ status: 'CLOSED', participantCount: 2 });
      expect(await roomOf(second, tooFew.productId)).toMatchObject({ status: 'CANCELLED', participantCount: 1 });
      const closedLog = await messagesOf(second, enough.productId);
      expect(closedLog.map((m) => (m.type === 'SYSTEM' ? m.event?.type : m.content))).toEqual([
        'JOINED',
        'JOINED',
        'Packed and ready',
        'CLOSED',
      ]);
      expect(closedLog.at(-1)).toMatchObject({
        event: { type: 'CLOSED', reason: 'DEADLINE' },
        room: { status: 'CLOSED', participantCount: 2 },
      });
      expect((await messagesOf(second, tooFew.productId)).at(-1)).toMatchObject({
        event: { type: 'CANCELLED', reason: 'DEADLINE' },
        room: { status: 'CANCELLED', participantCount: 1 },
      });
    } finally {
      await first.close();
      if (second) await second.dispose();
      else rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a CLOSED deal', () => {
  let productId: string;
  beforeAll(async () => {
    const room = await createRoom(server, { maxParticipants: 5, minParticipants: 1, hostId: 'seller' });
    productId = room.productId;
    await join(server, productId, 'buyer-a');
    await join(server, productId, 'buyer-b');
    await api(server, 'POST', `${ROOMS}/${productId}/close`, { token: await tokenFor('seller') });
  });

  it.each([
    ['a buyer', 'buyer-a'],
    ['the host', 'seller'],
  ])('lets %s keep reading messages and participants', async (_who, userId) => {
    const token = await tokenFor(userId);
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token }))).toEqual({ status: 200 });
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/participants`, { token }))).toEqual({ status: 200 });
  });

  it('lets the trade service keep reading', async () => {
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token: service }))).toEqual({ status: 200 });
  });

  it('refuses everyone else 403 FORBIDDEN on messages and participants, while the room itself stays public', async () => {
    const token = await tokenFor('outsider');
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/participants`, { token }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await api(server, 'GET', `${ROOMS}/${productId}`, { token })).toMatchObject({ status: 200, body: { status: 'CLOSED' } });
  });

  it('records the host close as a SYSTEM CLOSED message, reason HOST', async () => {
    expect((await messagesOf(server, productId)).find((m) => m.event?.type === 'CLOSED')).toMatchObject({
      event: { type: 'CLOSED', reason: 'HOST' },
      room: { status: 'CLOSED', participantCount: 2, maxParticipants: 5 },
    });
  });

  it('lets buyers and the host keep chatting, and refuses anyone else FORBIDDEN', async () => {
    const buyer = await connectStomp(server, await tokenFor('buyer-b'));
    const host = await connectStomp(server, await tokenFor('seller'));
    const outsider = await connectStomp(server, await tokenFor('outsider'));
    try {
      expect(await buyer.send(productId, { content: 'When does it ship?', clientMsgId: 'c-1' })).toEqual({ ok: true });
      expect(await host.send(productId, { content: 'Friday.', clientMsgId: 'c-2' })).toEqual({ ok: true });
      expect(await outsider.send(productId, { content: 'Can I still buy?', clientMsgId: 'c-3' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const chat = (await messagesOf(server, productId)).filter((m) => m.type === 'CHAT');
      expect(chat.map((m) => [m.sender?.userId, m.content])).toEqual([
        ['buyer-b', 'When does it ship?'],
        ['seller', 'Friday.'],
      ]);
    } finally {
      await Promise.all([buyer.close(), host.close(), outsider.close()]);
    }
  });

  it('refuses joins and leaves with 409 ROOM_NOT_ACTIVE', async () => {
    expect(outcome(await join(server, productId, 'latecomer'))).toEqual({ status: 409, code: 'ROOM_NOT_ACTIVE' });
    const leave = await api(server, 'DELETE', `${ROOMS}/${productId}/participants/me`, { token: await tokenFor('buyer-a') });
    expect(outcome(leave)).toEqual({ status: 409, code: 'ROOM_NOT_ACTIVE' });
  });
});

describe('a CANCELLED deal', () => {
  let productId: string;
  beforeAll(async () => {
    const room = await createRoom(server, { maxParticipants: 5, hostId: 'seller' });
    productId = room.productId;
    await join(server, productId, 'buyer-a');
    await api(server, 'POST', `${ROOMS}/${productId}/cancel`, { token: service });
  });

  it.each([
    ['a buyer', 'buyer-a'],
    ['the host', 'seller'],
  ])('stays readable for %s', async (_who, userId) => {
    const token = await tokenFor(userId);
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token }))).toEqual({ status: 200 });
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/participants`, { token }))).toEqual({ status: 200 });
  });

  it('refuses everyone else 403 FORBIDDEN on messages and participants', async () => {
    const token = await tokenFor('outsider');
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/messages`, { token }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(outcome(await api(server, 'GET', `${ROOMS}/${productId}/participants`, { token }))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('records the cancel as a SYSTEM CANCELLED message, reason HOST', async () => {
    expect((await messagesOf(server, productId)).at(-1)).toMatchObject({
      event: { type: 'CANCELLED', reason: 'HOST' },
      room: { status: 'CANCELLED', participantCount: 1, maxParticipants: 5 },
    });
  });

  it('refuses chat from buyers and the host with ROOM_NOT_ACTIVE', async () => {
    const buyer = await connectStomp(server, await tokenFor('buyer-a'));
    const host = await connectStomp(server, await tokenFor('seller'));
    try {
      expect(await buyer.send(productId, { content: 'Why?', clientMsgId: 'x-1' })).toMatchObject({
        ok: false,
        error: { code: 'ROOM_NOT_ACTIVE' },
      });
      expect(await host.send(productId, { content: 'Sorry.', clientMsgId: 'x-2' })).toMatchObject({
        ok: false,
        error: { code: 'ROOM_NOT_ACTIVE' },
      });
      expect((await messagesOf(server, productId)).some((m) => m.type === 'CHAT')).toBe(false);
    } finally {
      await Promise.all([buyer.close(), host.close()]);
    }
  });

  it('still takes NOTIFICATIONs from the trade service and the host', async () => {
    const fromService = await api(server, 'POST', `${ROOMS}/${productId}/notifications`, {
      token: service,
      body: { content: 'Refunds go out today.' },
    });
    const fromHost = await api(server, 'POST', `${ROOMS}/${productId}/notifications`, {
      token: await tokenFor('seller'),
      body: { content: 'Sorry, the harvest failed.' },
    });
    expect([outcome(fromService), outcome(fromHost)]).toEqual([{ status: 201 }, { status: 201 }]);
    expect((await messagesOf(server, productId)).slice(-2).map((m) => [m.type, m.content])).toEqual([
      ['NOTIFICATION', 'Refunds go out today.'],
      ['NOTIFICATION', 'Sorry, the harvest failed.'],
    ]);
  });

  it('refuses joins and a second close with 409 ROOM_NOT_ACTIVE', async () => {
    expect(outcome(await join(server, productId, 'latecomer'))).toEqual({ status: 409, code: 'ROOM_NOT_ACTIVE' });
    expect(outcome(await api(server, 'POST', `${ROOMS}/${productId}/close`, { token: service }))).toEqual({
      status: 409,
      code: 'ROOM_NOT_ACTIVE',
    });
  });
});

describe('ending a deal by hand', () => {
  it('tells the loser of a close/cancel race what the deal became', async () => {
    let firstCall = true;
    let secondDone!: () => void;
    const secondDoneP = new Promise<void>((r) => (secondDone = r));
    // The first settle waits until the second has finished: both requests saw the deal ACTIVE.
    const own = await startSlowServer({
      settle: (target) => async (productId, request, nowMs) => {
        if (firstCall) {
          firstCall = false;
          await secondDoneP;
          return target.settle(productId, request, nowMs);
        }
        try {
          return await target.settle(productId, request, nowMs);
        } finally {
          secondDone();
        }
      },
    });
    try {
      const room = await createRoom(own);
      const close = api(own, 'POST', `${ROOMS}/${room.productId}/close`, { token: service });
      await waitFor(() => !firstCall, 10_000, 'the close to reach the store');
      const cancel = await api(own, 'POST', `${ROOMS}/${room.productId}/cancel`, { token: service });
      expect(cancel).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
      const loser = await close;
      expect(outcome(loser)).toEqual({ status: 409, code: 'ROOM_NOT_ACTIVE' });
      expect(loser.body.error.message).toMatch(/cancelled/i);
    } finally {
      await own.dispose();
    }
  });
});
