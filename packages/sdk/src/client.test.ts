// The client core's own behaviours (REST paging, membership, clock, platform wake-ups), over one real
// transport: what differs between transports is covered by conformance.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { LIMITS } from '@groupbuy/protocol';
import type { Ack, PlatformEvents, RoomSession, TransportFactory } from './types.js';
import { Network, TRANSPORTS, testClient, useTestServer } from './test-support/clients.js';
import { cancelRoom, createRoom, devToken, fetchFor, joinRoom, notify, signedToken, waitFor } from './test-support/server.js';

const transport = (TRANSPORTS[0] as (typeof TRANSPORTS)[number]).factory;

/** Platform events a test fires by hand (a fake of the browser, which we do not own). */
function manualPlatform() {
  let wake = () => {};
  let offline = () => {};
  let online = true;
  const platform: PlatformEvents = {
    subscribe(onWake, onOffline) {
      wake = onWake;
      offline = onOffline;
      return () => {};
    },
    isOnline: () => online,
  };
  return {
    platform,
    goOffline() {
      online = false;
      offline();
    },
    comeBack() {
      online = true;
      wake();
    },
  };
}

describe('chat client', () => {
  const env = useTestServer();
  const { tokenOf } = env;

  it('loads the latest 50 messages and pages older ones 50 at a time until there are none', async () => {
    const room = await createRoom(env.url);
    for (let i = 0; i < 120; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => notify(env.url, room.productId, `notice ${i + j}`)));
    }
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    expect(ann.messages).toHaveLength(LIMITS.historyPageDefault);
    expect(ann.hasOlder).toBe(true);

    expect(await ann.loadOlder()).toBe(50);
    expect(await ann.loadOlder()).toBe(20);
    expect(ann.hasOlder).toBe(false);
    expect(await ann.loadOlder()).toBe(0);
    expect(ann.messages.map((m) => m.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it('knows who has the chat open, told by the server as others open and close it', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await waitFor('ann to see herself as a viewer', () => ann.viewers.some((v) => v.userId === 'ann'));
    const seen: string[][] = [];
    ann.on('viewers', (list) => seen.push(list.map((v) => v.userId)));
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: transport() }).room(room.productId);
    await waitFor('bob to see both viewers', () => bob.viewers.length === 2);
    await waitFor('ann to see bob open the chat', () => ann.viewers.length === 2);
    expect(ann.viewers.map((v) => v.userId).sort()).toEqual(['ann', 'bob']);
    expect(seen.at(-1)?.sort()).toEqual(['ann', 'bob']);
    bob.dispose();
    await waitFor('ann to see bob close it', () => ann.viewers.length === 1);
    expect(seen.at(-1)).toEqual(['ann']);
  });

  it('shares one session between two holders of a room and lets go only when both disposed it', async () => {
    const room = await createRoom(env.url);
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() });
    const first = client.room(room.productId);
    const second = client.room(room.productId);
    expect(second).toBe(first);
    await waitFor('ann to be watching', () => first.viewers.length === 1);
    first.dispose();
    await notify(env.url, room.productId, 'still live for the second holder');
    await waitFor('the notice to reach the remaining holder', () =>
      second.messages.some((m) => m.content === 'still live for the second holder'),
    );
    second.dispose();
    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: transport() }).room(room.productId);
    await waitFor('ann to be gone from the viewers', () => bob.viewers.length === 1 && bob.viewers[0]?.userId === 'bob');
    expect(client.room(room.productId)).not.toBe(first);
  });

  it('unsubscribes a room that was disposed while its subscription was on its way', async () => {
    const room = await createRoom(env.url);
    const holder: { session?: RoomSession } = {};
    let subscribed: Promise<Ack> | undefined;
    // The holder lets go the moment the subscribe leaves, so its acknowledgement finds the session disposed.
    const lettingGo: TransportFactory = (context) => {
      const inner = transport()(context);
      return {
        name: inner.name,
        open: (callbacks) => {
          inner.open(callbacks);
        },
        send: (command) => {
          const ack = inner.send(command);
          if (command.type === 'subscribe' && !subscribed) {
            subscribed = ack;
            holder.session?.dispose();
          }
          return ack;
        },
        close: () => {
          inner.close();
        },
      };
    };
    holder.session = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: lettingGo }).room(room.productId);
    const ack = await waitFor('the subscribe to be sent and acknowledged', () => subscribed);
    expect(ack.ok).toBe(true);
    const viewers = async () => {
      const res = await fetchFor(env.url)(`${env.url}/api/chat/rooms/${room.productId}/viewers`, {
        headers: { authorization: `Bearer ${await devToken(env.url, 'trade-service', { role: 'service' })}` },
      });
      return ((await res.json()) as { viewers: { userId: string }[] }).viewers;
    };
    await waitFor('ann to be gone from the viewers after the late acknowledgement', async () => (await viewers()).length === 0);
  });

  it('opens a room with one read (GET …/view): the room, the latest page and the buyers', async () => {
    const room = await createRoom(env.url);
    await joinRoom(env.url, room.productId, 'bob');
    const reads: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if ((init?.method ?? 'GET') === 'GET') reads.push(url.pathname.replace(`/api/chat/rooms/${room.productId}`, ''));
      return fetch(input, init);
    };
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport(), fetch: counting }).room(room.productId);
    await ann.ready();
    expect(reads).toEqual(['/view']);
    expect(ann.room?.participantCount).toBe(1);
    expect(ann.participants.map((p) => p.userId)).toEqual(['bob']);
    expect(ann.messages.map((m) => m.event?.type)).toEqual(['JOINED']);
  });

  it('applies joins and leaves from the SYSTEM messages without re-reading the participants', async () => {
    const room = await createRoom(env.url);
    const reads: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/participants') && (init?.method ?? 'GET') === 'GET') reads.push(url);
      return fetch(input, init);
    };
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport(), fetch: counting }).room(room.productId);
    await waitFor('ann to be live', () => ann.viewers.length === 1);
    const before = reads.length;
    await joinRoom(env.url, room.productId, 'bob');
    await joinRoom(env.url, room.productId, 'cho');
    await waitFor('two buyers', () => ann.participants.length === 2);
    expect(ann.participants.map((p) => p.userId)).toEqual(['bob', 'cho']);
    expect(ann.participants[0]?.joinedAt).toEqual(expect.any(String));
    expect(reads.length).toBe(before);
  });

  it('loads again when ready() is asked after a failed first load, without a reconnect', async () => {
    const room = await createRoom(env.url);
    let failNext = true;
    const flaky: typeof fetch = (input, init) => {
      if (failNext && (input instanceof Request ? input.url : String(input)).includes('/view')) {
        failNext = false;
        return Promise.reject(new TypeError('network hiccup'));
      }
      return fetch(input, init);
    };
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport(), fetch: flaky }).room(room.productId);
    await expect(ann.ready()).rejects.toBeDefined();
    await ann.ready();
    expect(ann.room?.productId).toBe(room.productId);
  });

  it('joins and leaves the deal, keeping the participants and the count current', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    expect(ann.isParticipant).toBe(false);

    await ann.join();
    expect(ann.isParticipant).toBe(true);
    expect(ann.room?.participantCount).toBe(1);

    await joinRoom(env.url, room.productId, 'bob');
    await waitFor('bob in the list', () => ann.participants.some((p) => p.userId === 'bob'));
    await waitFor('the count from the stream', () => ann.room?.participantCount === 2);

    await ann.leave();
    expect(ann.isParticipant).toBe(false);
    expect(ann.participants.map((p) => p.userId)).toEqual(['bob']);
  });

  it('rejects a join the server refuses with its code, and reports it as an error event', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    await cancelRoom(env.url, room.productId);
    const errors: string[] = [];
    ann.on('error', (e) => errors.push(e.code));
    await expect(ann.join()).rejects.toMatchObject({ code: 'ROOM_NOT_ACTIVE' });
    expect(errors).toContain('ROOM_NOT_ACTIVE');
  });

  it('rejects ready() with FORBIDDEN for a cancelled deal the user was not part of', async () => {
    const room = await createRoom(env.url);
    await cancelRoom(env.url, room.productId);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await expect(ann.ready()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("measures the server clock's offset from the REST Date header", async () => {
    const room = await createRoom(env.url);
    const aheadMs = 3_600_000;
    // The server's clock runs an hour ahead: shift the Date header the way such a server would send it.
    const skewed: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.set('date', new Date(Date.parse(res.headers.get('date') ?? '') + aheadMs).toUTCString());
      return new Response(await res.text(), { status: res.status, headers });
    };
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport(), fetch: skewed }).room(room.productId);
    await ann.ready();
    expect(Math.abs(ann.serverTimeOffsetMs - aheadMs)).toBeLessThanOrEqual(1_500);
  });

  it('fails a send to a cancelled room at once, retries it under the same id, and discards it', async () => {
    const room = await createRoom(env.url);
    await joinRoom(env.url, room.productId, 'ann');
    await cancelRoom(env.url, room.productId);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    expect(ann.room?.status).toBe('CANCELLED');

    const sent = ann.send('hello?');
    expect(ann.messages.find((m) => m.clientMsgId === sent.clientMsgId)).toMatchObject({
      status: 'failed',
      error: { code: 'ROOM_NOT_ACTIVE' },
    });
    ann.retry(sent.clientMsgId);
    expect(ann.messages.filter((m) => m.clientMsgId === sent.clientMsgId)).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 'ROOM_NOT_ACTIVE' }) }),
    ]);
    ann.discard(sent.clientMsgId);
    expect(ann.messages.some((m) => m.clientMsgId === sent.clientMsgId)).toBe(false);
  });

  it('lets the buyers and the seller of a deal that closed keep chatting: the room rules refuse only the others', async () => {
    const room = await createRoom(env.url, { maxParticipants: 2, hostId: 'seller' });
    await joinRoom(env.url, room.productId, 'ann');
    await joinRoom(env.url, room.productId, 'bob'); // fills the deal: CLOSED
    const open = async (userId: string) => {
      const session = testClient({ baseUrl: env.url, getToken: tokenOf(userId), transport: transport() }).room(room.productId);
      if (userId !== 'carol') await session.ready();
      return session;
    };
    const [ann, seller] = [await open('ann'), await open('seller')];
    expect(ann.room?.status).toBe('CLOSED');

    const fromBuyer = ann.send('When does it ship?');
    const fromSeller = seller.send('Monday.');
    await waitFor(
      'both stored',
      () =>
        [ann, seller].every((s) => s.messages.some((m) => m.status === 'sent' && m.clientMsgId === fromBuyer.clientMsgId)) &&
        seller.messages.some((m) => m.status === 'sent' && m.clientMsgId === fromSeller.clientMsgId),
    );

    // Anyone else may not even read it any more.
    await expect((await open('carol')).ready()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('goes offline when the platform says so and reconnects at once when it comes back', async () => {
    const room = await createRoom(env.url);
    const manual = manualPlatform();
    const network = new Network();
    // A backoff of up to ten minutes: only the wake-up can bring it back within the test.
    const client = testClient({
      baseUrl: env.url,
      getToken: tokenOf('ann'),
      transport: network.wrap(transport()),
      platform: manual.platform,
      reconnectInitialDelayMs: 600_000,
      reconnectMaxDelayMs: 600_000,
    });
    const ann = client.room(room.productId);
    await ann.ready();
    await waitFor('open', () => client.state === 'open');

    network.up = false;
    manual.goOffline();
    expect(client.state).toBe('offline');
    network.up = true;
    manual.comeBack();
    await waitFor('open again', () => client.state === 'open');
    const sent = ann.send('back');
    await waitFor('a send after the wake-up', () => ann.messages.some((m) => m.clientMsgId === sent.clientMsgId && m.status === 'sent'));
  });

  it('reads the signed-in user from the token and closes every session on close()', async () => {
    const room = await createRoom(env.url);
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() });
    const ann = client.room(room.productId);
    expect(client.room(room.productId)).toBe(ann);
    await ann.ready();
    expect(client.user).toMatchObject({ userId: 'ann', name: 'User ann' });

    const states: string[] = [];
    ann.on('state', (s) => states.push(s));
    client.close();
    expect(client.state).toBe('closed');
    expect(() => client.room(room.productId)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }) as Error);
  });

  it('renews a token REST and the connection refuse once, and carries on without asking the user', async () => {
    const room = await createRoom(env.url);
    const expired = await signedToken('ann', -60);
    let asked = 0;
    const getToken = () => (++asked === 1 ? expired : devToken(env.url, 'ann'));
    const client = testClient({ baseUrl: env.url, getToken, transport: transport() });
    const states: string[] = [];
    client.onState((state) => states.push(state));
    const ann = client.room(room.productId);
    await ann.ready(); // its REST calls got 401 with the first token, and asked for a fresh one once
    await waitFor('the connection to be open on the fresh token', () => client.state === 'open');
    const sent = ann.send('renewed');
    await waitFor('the send to be stored', () => ann.messages.some((m) => m.clientMsgId === sent.clientMsgId && m.status === 'sent'));
    expect(states).not.toContain('auth-required');
    expect(asked).toBeLessThanOrEqual(3);
  });

  it('refuses a product id that is not one with INVALID_INPUT', () => {
    const client = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() });
    expect(() => client.room('../etc/passwd')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });
});

describe('the SDK entry point', () => {
  it('touches no window or document when imported (SSR-safe)', async () => {
    vi.resetModules();
    const touched: string[] = [];
    const names = ['window', 'document', 'navigator'];
    const saved = names.map((name) => Object.getOwnPropertyDescriptor(globalThis, name));
    for (const name of names) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    try {
      const sdk = await import('./index.js');
      expect(typeof sdk.createChatClient).toBe('function');
      expect(touched).toEqual([]);
    } finally {
      names.forEach((name, i) => {
        const descriptor = saved[i];
        if (descriptor) Object.defineProperty(globalThis, name, descriptor);
        else Reflect.deleteProperty(globalThis, name);
      });
    }
  });
});
