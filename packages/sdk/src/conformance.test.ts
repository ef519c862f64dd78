// One suite for every realtime transport, against the real server: the same behaviours, and the same error
// codes, must hold whether the client speaks STOMP, Socket.IO or plain WebSocket, or runs in process on the
// real core (@groupbuy/testing, what Storybook and the element tests use).
import { describe, expect, it } from 'vitest';
import { ChatError, LIMITS, type ErrorCode } from '@groupbuy/protocol';
import {
  Network,
  TRANSPORTS,
  chats,
  closeClients,
  countingAttempts,
  live,
  losingNextAck,
  withTransport,
  recordingCloses,
  sentContents,
  strictlyOrdered,
  testClient,
  useTestServer,
} from './test-support/clients.js';
import {
  ServerProcess,
  cancelRoom,
  createRoom,
  devToken,
  fetchFor,
  history,
  joinRoom,
  notify,
  signedToken,
  waitFor,
} from './test-support/server.js';

/** The contents of a room's stored CHAT messages, read from the server. */
async function storedContents(url: string, productId: string): Promise<string[]> {
  return (await history(url, productId)).filter((m) => m.type === 'CHAT').map((m) => m.content);
}

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe.each(TRANSPORTS)('$name transport', (entry) => {
  const env = useTestServer({ inProcess: entry.inProcess ?? false });
  const { tokenOf } = env;
  const factory = () => entry.factory(env);
  // The in-process core is this process: there is no server process to kill and start again.
  const itWithProcess = entry.inProcess ? it.skip : it;

  it('delivers messages to every session in the room in the order they were sent', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: factory() }).room(room.productId);
    await Promise.all([live(ann, 'ann'), live(bob, 'bob')]);

    const words = range(5, 'hello');
    for (const word of words) ann.send(word);

    await waitFor('bob to have all five', () => sentContents(bob).filter((c) => c.startsWith('hello')).length === 5);
    expect(sentContents(bob).filter((c) => c.startsWith('hello'))).toEqual(words);
    expect(strictlyOrdered(bob)).toBe(true);
  });

  it("shows the sender's own message once: pending at once, then sent with its seq", async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    await live(ann, 'ann');

    const pending = ann.send('  mine  ');
    expect(pending).toMatchObject({ status: 'pending', content: 'mine' });
    expect(pending.seq).toBeUndefined();
    expect(ann.messages).toContain(pending);
    await waitFor('the message to be sent', () => ann.messages.find((m) => m.clientMsgId === pending.clientMsgId)?.status === 'sent');
    // A later message is a barrier: anything still in flight about the first would have arrived by now.
    const barrier = ann.send('barrier');
    await waitFor('the barrier', () => ann.messages.some((m) => m.clientMsgId === barrier.clientMsgId && m.status === 'sent'));

    const copies = ann.messages.filter((m) => m.clientMsgId === pending.clientMsgId);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ status: 'sent', content: 'mine', sender: { userId: 'ann' } });
    expect(copies[0]?.seq).toBeGreaterThan(0);
  });

  it('gives three clients sending 100 messages each all 300, once each, in seq order', async () => {
    const room = await createRoom(env.url);
    const names = ['ann', 'bob', 'cat'];
    const sessions = names.map((name) =>
      testClient({ baseUrl: env.url, getToken: tokenOf(name), transport: factory() }).room(room.productId),
    );
    await Promise.all(sessions.map((s, i) => live(s, names[i] as string)));

    sessions.forEach((s, i) => {
      for (const text of range(100, names[i] as string)) s.send(text);
    });

    const expected = names.flatMap((name) => range(100, name));
    for (const [i, s] of sessions.entries()) {
      await waitFor(`${names[i]} to have all 300`, () => expected.every((c) => sentContents(s).includes(c)), 60_000);
    }
    for (const s of sessions) {
      const contents = sentContents(s).filter((c) => !c.startsWith('probe'));
      expect(contents).toHaveLength(300);
      expect(new Set(contents).size).toBe(300);
      expect(strictlyOrdered(s)).toBe(true);
      // Each sender's own messages keep the order they were written in.
      for (const name of names) expect(contents.filter((c) => c.startsWith(`${name} `))).toEqual(range(100, name));
    }
  });

  it('loses and duplicates nothing when the connection is cut while 30 messages are being sent', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: factory() }).room(room.productId);
    await Promise.all([live(ann, 'ann'), live(bob, 'bob')]);

    let stored = 0;
    ann.on('message', (m) => {
      if (m.content.startsWith('burst') && ++stored === 5) env.server.dropConnections();
    });
    const burst = range(30, 'burst');
    for (const text of burst) ann.send(text);

    for (const s of [ann, bob]) {
      await waitFor('all 30 after the reconnect', () => sentContents(s).filter((c) => c.startsWith('burst')).length === 30);
    }
    expect(stored).toBeGreaterThanOrEqual(5);
    expect(sentContents(ann).filter((c) => c.startsWith('burst'))).toEqual(burst);
    expect(sentContents(bob).filter((c) => c.startsWith('burst'))).toEqual(burst);
    expect(chats(ann).filter((m) => m.status !== 'sent')).toEqual([]);
    expect((await storedContents(env.url, room.productId)).filter((c) => c.startsWith('burst'))).toEqual(burst);
  });

  itWithProcess('recovers every session with no loss and no duplicate after the server process is killed and restarted', async () => {
    const proc = new ServerProcess();
    try {
      await proc.start();
      const base = proc.url;
      const room = await createRoom(base);
      const [annToken, bobToken] = await Promise.all([devToken(base, 'ann'), devToken(base, 'bob')]);
      const ann = testClient({ baseUrl: base, getToken: () => annToken, transport: factory() }).room(room.productId);
      const bob = testClient({ baseUrl: base, getToken: () => bobToken, transport: factory() }).room(room.productId);
      await Promise.all([live(ann, 'ann'), live(bob, 'bob')]);

      for (const text of range(5, 'before')) ann.send(text);
      await waitFor('bob to see the first five', () => sentContents(bob).filter((c) => c.startsWith('before')).length === 5);

      await proc.kill();
      await waitFor('both to notice', () => ann.state !== 'open' && bob.state !== 'open');
      for (const text of range(5, 'during')) ann.send(text);
      bob.send('bob during');
      await proc.start();

      const expected = [...range(5, 'before'), ...range(5, 'during'), 'bob during'];
      for (const s of [ann, bob]) {
        await waitFor('every message after the restart', () => expected.every((c) => sentContents(s).includes(c)), 30_000);
      }
      for (const s of [ann, bob]) {
        const contents = sentContents(s).filter((c) => !c.startsWith('probe'));
        expect([...contents].sort()).toEqual([...expected].sort());
        expect(strictlyOrdered(s)).toBe(true);
        expect(s.state).toBe('open');
      }
      const storedNow = (await storedContents(base, room.productId)).filter((c) => !c.startsWith('probe'));
      expect([...storedNow].sort()).toEqual([...expected].sort());
    } finally {
      closeClients();
      await proc.dispose();
    }
  });

  itWithProcess('loads, subscribes and delivers a send made while the server was down when it comes up', async () => {
    const proc = new ServerProcess();
    try {
      await proc.start();
      const base = proc.url;
      const room = await createRoom(base);
      const annToken = await devToken(base, 'ann');
      await proc.kill();
      // A page opened while the server is down: the load fails, the send waits in the outbox.
      const ann = testClient({ baseUrl: base, getToken: () => annToken, transport: factory() }).room(room.productId);
      await expect(ann.ready()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      const sent = ann.send('written while down');
      await proc.start();
      // Nobody calls ready() again: the session (or the connection) tries by itself.
      await waitFor('the send to be stored', () => ann.messages.find((m) => m.clientMsgId === sent.clientMsgId)?.status === 'sent', 30_000);
      expect(ann.state).toBe('open');
      expect((await storedContents(base, room.productId)).filter((c) => c === 'written while down')).toHaveLength(1);
    } finally {
      closeClients();
      await proc.dispose();
    }
  });

  it('stores and shows a message once when its acknowledgement is lost with the connection', async () => {
    const room = await createRoom(env.url);
    const transport = losingNextAck(factory(), () => env.server.dropConnections());
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport }).room(room.productId);
    await ann.ready();
    const sent = ann.send('unacknowledged');

    await waitFor('the message to be sent', () => ann.messages.find((m) => m.clientMsgId === sent.clientMsgId)?.status === 'sent');
    const barrier = ann.send('after');
    await waitFor('the barrier', () => ann.messages.some((m) => m.clientMsgId === barrier.clientMsgId && m.status === 'sent'));
    expect(ann.messages.filter((m) => m.content === 'unacknowledged')).toHaveLength(1);
    expect((await storedContents(env.url, room.productId)).filter((c) => c === 'unacknowledged')).toHaveLength(1);
  });

  it('stores a send once when the same clientMsgId is sent twice, and acknowledges both', async () => {
    const room = await createRoom(env.url);
    await withTransport(factory(), env.url, 'ann', async (transport) => {
      expect(await transport.send({ type: 'subscribe', roomId: room.productId, sinceSeq: 0 })).toMatchObject({ ok: true });
      const command = { type: 'send', roomId: room.productId, content: 'twice', clientMsgId: 'dup-1' } as const;
      const first = await transport.send(command);
      const second = await transport.send(command);
      expect(first.ok && second.ok).toBe(true);
      if (first.ok && second.ok && first.message && second.message) expect(second.message.seq).toBe(first.message.seq);
      expect((await storedContents(env.url, room.productId)).filter((c) => c === 'twice')).toHaveLength(1);
    });
  });

  it('flushes an outbox of five queued while offline, in order, when the connection comes back', async () => {
    const room = await createRoom(env.url);
    const network = new Network();
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(factory()) }).room(room.productId);
    await live(ann, 'ann');

    await network.unplug(env.server, ann);
    const queued = range(5, 'queued');
    for (const text of queued) ann.send(text);
    expect(
      chats(ann)
        .filter((m) => m.status === 'pending')
        .map((m) => m.content),
    ).toEqual(queued);
    expect(await storedContents(env.url, room.productId)).not.toContain('queued 1');

    network.up = true;
    await waitFor('the outbox to flush', () => sentContents(ann).filter((c) => c.startsWith('queued')).length === 5);
    expect(sentContents(ann).filter((c) => c.startsWith('queued'))).toEqual(queued);
    expect((await storedContents(env.url, room.productId)).filter((c) => c.startsWith('queued'))).toEqual(queued);
  });

  it('fails a queued message with ROOM_NOT_ACTIVE, never sending it, when the room is cancelled meanwhile', async () => {
    const room = await createRoom(env.url);
    const network = new Network();
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(factory()) }).room(room.productId);
    await live(ann, 'ann');
    const errors: Array<{ code: ErrorCode; clientMsgId?: string }> = [];
    ann.on('error', (e) => errors.push(e));

    await network.unplug(env.server, ann);
    const queued = ann.send('too late');
    await cancelRoom(env.url, room.productId);
    network.up = true;

    const failed = await waitFor('the queued message to fail', () => {
      const m = ann.messages.find((v) => v.clientMsgId === queued.clientMsgId);
      return m?.status === 'failed' ? m : undefined;
    });
    expect(failed.error?.code).toBe('ROOM_NOT_ACTIVE');
    expect(errors).toContainEqual(expect.objectContaining({ code: 'ROOM_NOT_ACTIVE', clientMsgId: queued.clientMsgId }));
    await waitFor('the room to read CANCELLED', () => ann.room?.status === 'CANCELLED');
    expect(await storedContents(env.url, room.productId)).not.toContain('too late');
  });

  it('renews a 5-second token through getToken when the server ends the connection, and the next message is stored once', async () => {
    const room = await createRoom(env.url);
    let tokens = 0;
    // Every token lives 5 s: the server ends the connection when it expires, and the provider re-mints.
    const getToken = () => {
      tokens += 1;
      return devToken(env.url, 'ann', { ttlSeconds: 5 });
    };
    const { factory: transport, closes } = recordingCloses(factory());
    const client = testClient({ baseUrl: env.url, getToken, transport });
    const states: string[] = [];
    client.onState((state) => states.push(state));
    const ann = client.room(room.productId);
    await live(ann, 'ann');

    await waitFor('the server to end the connection for the expired token', () => closes.some((c) => c.error?.code === 'UNAUTHENTICATED'));
    const asked = tokens;
    await waitFor('a new connection on a fresh token', () => tokens > asked && client.state === 'open');
    const after = ann.send('after refresh');
    await waitFor(
      'a send on the new token',
      () => ann.messages.some((m) => m.clientMsgId === after.clientMsgId && m.status === 'sent'),
      30_000,
    );
    expect((await storedContents(env.url, room.productId)).filter((c) => c === 'after refresh')).toHaveLength(1);
    expect(states).not.toContain('auth-required');
  });

  it("stops in 'auth-required' after two refused attempts when getToken keeps giving an expired token; reconnect() with a good one delivers the queued sends once", async () => {
    const room = await createRoom(env.url);
    let token = await signedToken('ann', -60, env.url);
    const { factory: transport, attempts } = countingAttempts(factory());
    const client = testClient({ baseUrl: env.url, getToken: () => token, transport });
    const ann = client.room(room.productId);
    const errors: string[] = [];
    ann.on('error', (e) => errors.push(e.code));

    await waitFor("the client to give up in 'auth-required'", () => client.state === 'auth-required');
    expect(ann.state).toBe('auth-required');
    expect(errors).toContain('UNAUTHENTICATED');
    const tried = attempts();
    expect(tried).toBeGreaterThanOrEqual(1);
    expect(tried).toBeLessThanOrEqual(2);
    const queued = [ann.send('queued 1'), ann.send('queued 2')];
    // A round trip to the server later, still no new attempt: it is not reconnecting in a loop.
    await createRoom(env.url);
    expect(attempts()).toBe(tried);
    expect(client.state).toBe('auth-required');
    expect(
      chats(ann)
        .filter((m) => m.content.startsWith('queued'))
        .map((m) => m.status),
    ).toEqual(['pending', 'pending']);

    token = await devToken(env.url, 'ann');
    client.reconnect();
    await waitFor('both queued sends to be stored', () =>
      queued.every((q) => ann.messages.some((m) => m.clientMsgId === q.clientMsgId && m.status === 'sent')),
    );
    expect(client.state).toBe('open');
    expect((await storedContents(env.url, room.productId)).filter((c) => c.startsWith('queued'))).toEqual(['queued 1', 'queued 2']);
  });

  it("enters 'auth-required' when the token is refused and getToken then throws, and reconnect() asks it again", async () => {
    const room = await createRoom(env.url);
    const expired = await signedToken('ann', -60, env.url);
    let signedIn = false;
    let asked = 0;
    const getToken = async () => {
      asked += 1;
      if (signedIn) return devToken(env.url, 'ann');
      if (asked === 1) return expired;
      throw new Error('the shop says: signed out');
    };
    const client = testClient({ baseUrl: env.url, getToken, transport: factory() });
    const ann = client.room(room.productId);
    await waitFor("'auth-required'", () => client.state === 'auth-required');
    expect(asked).toBeGreaterThanOrEqual(2);

    signedIn = true;
    client.reconnect();
    await live(ann, 'ann');
    expect(client.state).toBe('open');
  });

  it('refuses empty and over-long content with INVALID_INPUT in the client, and the server does too', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    await ann.ready();
    const tooLong = 'x'.repeat(LIMITS.contentMaxChars + 1);
    for (const content of ['', ' \n\t ', tooLong]) {
      expect(() => ann.send(content)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as ChatError);
    }
    expect(ann.messages).toEqual([]);

    await withTransport(factory(), env.url, 'ann', async (transport) => {
      expect(await transport.send({ type: 'subscribe', roomId: room.productId })).toMatchObject({ ok: true });
      for (const [i, content] of ['', tooLong].entries()) {
        const ack = await transport.send({ type: 'send', roomId: room.productId, content, clientMsgId: `bad-${i}` });
        expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
    });
  });

  it('reloads the latest page and marks a discontinuity when more was missed than the server replays', async () => {
    const room = await createRoom(env.url);
    const network = new Network();
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: network.wrap(factory()) }).room(room.productId);
    await live(ann, 'ann');
    const gaps: Array<{ sinceSeq: number; lastSeq: number }> = [];
    ann.on('discontinuity', (d) => gaps.push(d));

    await network.unplug(env.server, ann);
    const missed = LIMITS.replayWindow + 5;
    for (let i = 0; i < missed; i += 50) {
      await Promise.all(range(Math.min(50, missed - i), `notice ${i}`).map((text) => notify(env.url, room.productId, text)));
    }
    network.up = true;

    await waitFor('the discontinuity', () => gaps.length > 0);
    const lastSeq = (await history(env.url, room.productId)).at(-1)?.seq;
    await waitFor('the latest page', () => ann.messages.at(-1)?.seq === lastSeq);
    expect(gaps[0]?.lastSeq).toBeGreaterThan(gaps[0]?.sinceSeq ?? Infinity);
    expect(ann.messages).toHaveLength(LIMITS.historyPageDefault);
    expect(ann.hasOlder).toBe(true);
    expect(strictlyOrdered(ann)).toBe(true);
    // Nothing from before the hole is shown next to what came after it.
    expect(ann.messages.some((m) => m.content === 'probe ann')).toBe(false);
    expect(await ann.loadOlder()).toBe(LIMITS.historyPageDefault);
    expect(strictlyOrdered(ann)).toBe(true);
  });

  it('pushes viewers as they arrive and leave, with no GET /viewers at all', async () => {
    const room = await createRoom(env.url);
    const viewerReads: string[] = [];
    const realFetch = fetchFor(env.url);
    const counting: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url).pathname.endsWith('/viewers')) viewerReads.push(url);
      return realFetch(input, init);
    };
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory(), fetch: counting }).room(room.productId);
    await waitFor('ann to see herself as a viewer', () => ann.viewers.some((v) => v.userId === 'ann'));

    const bobClient = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: factory(), fetch: counting });
    const bob = bobClient.room(room.productId);
    await waitFor('ann to see bob arrive', () => ann.viewers.some((v) => v.userId === 'bob'));
    await waitFor('bob to see both', () => bob.viewers.length === 2);
    expect(bob.viewerCount).toBe(2);
    bobClient.close();
    await waitFor('ann to see bob leave', () => ann.viewers.length === 1 && ann.viewers[0]?.userId === 'ann');
    expect(ann.viewerCount).toBe(1);
    expect(viewerReads).toEqual([]);
  });

  it('counts every viewer of a room larger than the pushed list, which stops at LIMITS.viewersListMax', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    await live(ann, 'ann');
    const crowd = range(LIMITS.viewersListMax + 1, 'viewer').map((name) =>
      testClient({ baseUrl: env.url, getToken: tokenOf(name.replace(' ', '-')), transport: factory() }),
    );
    for (const c of crowd) c.room(room.productId);
    const total = crowd.length + 1;
    await waitFor('ann to count the crowd', () => ann.viewerCount === total);
    expect(ann.viewers).toHaveLength(LIMITS.viewersListMax);
    expect(ann.viewers[0]?.userId).toBe('ann');
    for (const c of crowd) c.close();
    await waitFor('ann to count herself alone', () => ann.viewerCount === 1);
    expect(ann.viewers.map((v) => v.userId)).toEqual(['ann']);
  });

  it("ends a watcher's live feed with an error when the deal closes, and refuses its sends", async () => {
    const room = await createRoom(env.url, { maxParticipants: 2 });
    const carol = testClient({ baseUrl: env.url, getToken: tokenOf('carol'), transport: factory() }).room(room.productId);
    await live(carol, 'carol');
    const errors: string[] = [];
    carol.on('error', (e) => errors.push(e.code));

    await joinRoom(env.url, room.productId, 'dan');
    await joinRoom(env.url, room.productId, 'eve'); // fills the deal: CLOSED

    await waitFor('the room to read CLOSED', () => carol.room?.status === 'CLOSED');
    await waitFor('the end of the feed', () => errors.length > 0);
    expect(errors[0]).toBe('FORBIDDEN');
    expect(carol.viewers).toEqual([]);
    const refused = carol.send('can I still buy?');
    await waitFor('the send to fail', () => carol.messages.find((m) => m.clientMsgId === refused.clientMsgId)?.status === 'failed');
    expect(await storedContents(env.url, room.productId)).not.toContain('can I still buy?');
  });

  it('shows who else is typing, once per throttle window, and drops the name when their message arrives', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: factory() }).room(room.productId);
    await Promise.all([live(ann, 'ann'), live(bob, 'bob')]);
    const seenByBob: string[][] = [];
    bob.on('typing', (users) => seenByBob.push(users.map((u) => u.userId)));
    ann.typing();
    ann.typing(); // inside the throttle window: not sent
    await waitFor('bob to see ann typing', () => bob.typingUsers.some((u) => u.userId === 'ann'));
    expect(ann.typingUsers).toEqual([]);
    ann.send('typed it');
    await waitFor('ann’s message to reach bob', () => sentContents(bob).includes('typed it'));
    expect(bob.typingUsers).toEqual([]);
    expect(seenByBob).toEqual([['ann'], []]);
  });

  it('keeps the unread count: the server’s on load, live for others’ messages only, and read elsewhere', async () => {
    const room = await createRoom(env.url);
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: factory() }).room(room.productId);
    await live(bob, 'bob');
    for (const word of range(3, 'before')) bob.send(word);
    await waitFor('bob’s three to be stored', async () => (await storedContents(env.url, room.productId)).length === 4);

    const annTab = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    await annTab.ready();
    expect(annTab.unreadCount).toBe(4); // bob's probe and his three
    await live(annTab, 'ann'); // her own probe does not count
    expect(annTab.unreadCount).toBe(4);
    bob.send('after');
    await waitFor('the live message to count', () => annTab.unreadCount === 5);

    const annPhone = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() }).room(room.productId);
    await live(annPhone, 'ann-phone');
    expect(annPhone.unreadCount).toBe(5);
    await annPhone.markRead();
    expect(annPhone.unreadCount).toBe(0);
    await waitFor('the other tab to hear of the read', () => annTab.unreadCount === 0);
  });

  it('refuses a room that does not exist with ROOM_NOT_FOUND', async () => {
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: factory() });
    await expect(client.room('no-such-room').ready()).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await withTransport(factory(), env.url, 'ann', async (transport, events) => {
      const ack = await transport.send({ type: 'subscribe', roomId: 'no-such-room' });
      // The plain WebSocket endpoint accepts the socket before it looks at the room, so its refusal comes
      // after the "acknowledgement" (the socket opening) as the end of the subscription.
      const refusal = await waitFor('the refusal', () => (ack.ok ? events.find((e) => e.type === 'subscription-ended')?.error : ack.error));
      expect(refusal.code).toBe('ROOM_NOT_FOUND');
    });
  });
});
