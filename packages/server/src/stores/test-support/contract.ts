import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '@groupbuy/protocol';
import type { ChatMessage, ErrorCode, Room } from '@groupbuy/protocol';
import { createAesGcmCipher, type ContentCipher } from '../content-cipher.js';
import type { ChatStore, NewMessage, UserRef } from '../types.js';
import { T0, roomInput, HOUR_MS } from './fixtures.js';

/** What a contract run needs from an implementation, made fresh for every test. */
export interface ContractHarness {
  /** An empty store. */
  store: ChatStore;
  /** Releases everything the harness made, closing whichever store is open (the original or a reopened one). */
  cleanup(): Promise<void>;
  /** Opens the same data again after `store.close()`; leave out for stores that do not persist. */
  reopen?(): Promise<ChatStore>;
  /** The `content` column of every stored message as it lies on disk, in seq order (durable stores). */
  rawContents?(): Promise<string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function user(n: number | string): UserRef {
  return { userId: `user-${n}`, name: `Buyer ${n}` };
}

function chat(sender: UserRef | null, content: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { type: 'CHAT', sender, content, allowedStatuses: ['ACTIVE', 'CLOSED'], ...extra };
}

/** Resolves to the ChatError a promise rejects with; fails the test when it resolves or throws anything else. */
async function chatErrorOf(promise: Promise<unknown>): Promise<ChatError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(ChatError);
  return outcome as ChatError;
}

async function expectChatError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  expect((await chatErrorOf(promise)).code).toBe(code);
}

function seqs(messages: readonly ChatMessage[]): number[] {
  return messages.map((m) => m.seq);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * The behaviour every {@link ChatStore} must have, as a vitest suite: call it from an implementation's
 * test file with a factory that returns an empty store per test. Clocks are passed explicitly; nothing
 * here depends on wall time or on how fast the store is. `durable` (@default true) adds the persistence
 * and encryption-at-rest tests, which need the harness's `reopen` and `rawContents`; a throwaway
 * `:memory:` store passes `durable: false`. `makeStore` opens the store with the given content cipher.
 */
export function describeChatStoreContract(
  name: string,
  makeStore: (options?: { cipher?: ContentCipher }) => Promise<ContractHarness>,
  options: { durable?: boolean } = {},
): void {
  describe(`ChatStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: ChatStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    async function allMessages(productId: string): Promise<ChatMessage[]> {
      const out: ChatMessage[] = [];
      let after = 0;
      for (;;) {
        const page = await store.page(productId, { after, limit: 100 });
        out.push(...page.messages);
        if (!page.hasMore) return out;
        after = page.messages[page.messages.length - 1]?.seq ?? after;
      }
    }

    describe('createRoom', () => {
      it('creates an ACTIVE room with no buyers, no messages and ISO times', async () => {
        const { room, created } = await store.createRoom(roomInput('p1'), T0);
        expect(created).toBe(true);
        expect(room).toStrictEqual<Room>({
          productId: 'p1',
          title: 'Group buy p1',
          status: 'ACTIVE',
          maxParticipants: 10,
          minParticipants: 3,
          participantCount: 0,
          expiresAt: new Date(T0 + HOUR_MS).toISOString(),
          createdAt: new Date(T0).toISOString(),
          closedAt: null,
          hostId: 'seller-1',
          lastSeq: 0,
          slowModeMs: 0,
          pinned: null,
        });
        expect(await store.getRoom('p1')).toStrictEqual(room);
      });

      it('keeps a null host id', async () => {
        const { room } = await store.createRoom(roomInput('p1', { hostId: null }), T0);
        expect(room.hostId).toBeNull();
        expect((await store.getRoom('p1'))?.hostId).toBeNull();
      });

      it('returns the existing room unchanged with created false when the product id is taken', async () => {
        const first = await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user(1), T0 + 1);
        const before = await store.getRoom('p1');
        const again = await store.createRoom(roomInput('p1', { title: 'Another title', maxParticipants: 99, hostId: null }), T0 + 5000);
        expect(again.created).toBe(false);
        expect(again.room).toStrictEqual(before);
        expect(again.room.title).toBe(first.room.title);
        expect(again.room.createdAt).toBe(first.room.createdAt);
      });

      it('answers null for a product with no room', async () => {
        expect(await store.getRoom('nope')).toBeNull();
      });
    });

    describe('join', () => {
      it('adds a buyer and writes a SYSTEM JOINED message with the room snapshot', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const result = await store.join('p1', user(1), T0 + 10);

        expect(result.joined).toBe(true);
        expect(result.room).toMatchObject({ status: 'ACTIVE', participantCount: 1, lastSeq: 1, closedAt: null });
        expect(result.messages).toHaveLength(1);
        const [msg] = result.messages;
        expect(msg).toStrictEqual<ChatMessage>({
          id: expect.stringMatching(UUID),
          roomId: 'p1',
          seq: 1,
          type: 'SYSTEM',
          sender: null,
          content: 'Buyer 1 joined the deal (1/10).',
          createdAt: new Date(T0 + 10).toISOString(),
          event: { type: 'JOINED', userId: 'user-1', name: 'Buyer 1' },
          room: { status: 'ACTIVE', participantCount: 1, maxParticipants: 10 },
        });
        expect(await store.isParticipant('p1', 'user-1')).toBe(true);
      });

      it('answers joined false and writes nothing when the buyer joins again', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user(1), T0);
        const again = await store.join('p1', user(1), T0 + 1);
        expect(again.joined).toBe(false);
        expect(again.messages).toEqual([]);
        expect(again.room).toMatchObject({ participantCount: 1, lastSeq: 1 });
        expect(await allMessages('p1')).toHaveLength(1);
      });

      it('throws ROOM_NOT_FOUND for a product with no room', async () => {
        await expectChatError(store.join('nope', user(1), T0), 'ROOM_NOT_FOUND');
      });

      it('closes the room with reason FILLED on the join that reaches the cap', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 2, minParticipants: 2 }), T0);
        await store.join('p1', user(1), T0 + 1);
        const result = await store.join('p1', user(2), T0 + 2);

        expect(result.joined).toBe(true);
        expect(result.room).toMatchObject({
          status: 'CLOSED',
          participantCount: 2,
          closedAt: new Date(T0 + 2).toISOString(),
          lastSeq: 3,
        });
        expect(seqs(result.messages)).toEqual([2, 3]);
        const [joined, closed] = result.messages;
        expect(joined?.event).toStrictEqual({ type: 'JOINED', userId: 'user-2', name: 'Buyer 2' });
        expect(joined?.room).toStrictEqual({ status: 'ACTIVE', participantCount: 2, maxParticipants: 2 });
        expect(closed).toMatchObject({
          type: 'SYSTEM',
          sender: null,
          event: { type: 'CLOSED', reason: 'FILLED' },
          room: { status: 'CLOSED', participantCount: 2, maxParticipants: 2 },
          content: 'The deal is full (2/2) and closed. Buyers and the seller can keep chatting.',
        });
        expect(await store.getRoom('p1')).toStrictEqual(result.room);
      });

      it('rejects the 11th join when max is 10', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 10 }), T0);
        for (let i = 1; i <= 10; i++) await store.join('p1', user(i), T0 + i);
        await expectChatError(store.join('p1', user(11), T0 + 11), 'ROOM_FULL');

        const room = await store.getRoom('p1');
        expect(room).toMatchObject({ status: 'CLOSED', participantCount: 10, lastSeq: 11 });
        expect(await store.isParticipant('p1', 'user-11')).toBe(false);
      });

      it('answers joined false to a buyer who joins again after the room filled', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 2, minParticipants: 1 }), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        const again = await store.join('p1', user(2), T0 + 1);
        expect(again.joined).toBe(false);
        expect(again.messages).toEqual([]);
      });

      it('rejects a join with ROOM_NOT_ACTIVE once the room was cancelled', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.settle('p1', { status: 'CANCELLED', reason: 'HOST' }, T0 + 1);
        await expectChatError(store.join('p1', user(1), T0 + 2), 'ROOM_NOT_ACTIVE');
        expect(await store.participants('p1')).toEqual([]);
      });

      it('admits exactly 10 of 50 concurrent joins when max is 10, with gap-free seqs', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 10 }), T0);
        const outcomes = await Promise.allSettled(range(1, 50).map((i) => store.join('p1', user(i), T0 + i)));

        const joined = outcomes.filter((o) => o.status === 'fulfilled' && o.value.joined);
        const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(joined).toHaveLength(10);
        expect(rejected).toHaveLength(40);
        for (const err of rejected) {
          expect(err).toBeInstanceOf(ChatError);
          expect(['ROOM_FULL', 'ROOM_NOT_ACTIVE']).toContain((err as ChatError).code);
        }

        expect(await store.participants('p1')).toHaveLength(10);
        const room = await store.getRoom('p1');
        expect(room).toMatchObject({ status: 'CLOSED', participantCount: 10, lastSeq: 11 });
        const history = await allMessages('p1');
        expect(seqs(history)).toEqual(range(1, 11));
        expect(history.filter((m) => m.event?.type === 'JOINED')).toHaveLength(10);
        expect(history[10]?.event).toStrictEqual({ type: 'CLOSED', reason: 'FILLED' });
      });

      it('lists buyers in join order with their names and join times', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user('b'), T0 + 1);
        await store.join('p1', user('a'), T0 + 1);
        await store.join('p1', user('c'), T0 + 2);
        expect(await store.participants('p1')).toStrictEqual([
          { userId: 'user-b', name: 'Buyer b', joinedAt: new Date(T0 + 1).toISOString() },
          { userId: 'user-a', name: 'Buyer a', joinedAt: new Date(T0 + 1).toISOString() },
          { userId: 'user-c', name: 'Buyer c', joinedAt: new Date(T0 + 2).toISOString() },
        ]);
      });

      it('keeps each room to its own buyers', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.createRoom(roomInput('p2'), T0);
        await store.join('p1', user(1), T0);
        expect(await store.isParticipant('p1', 'user-1')).toBe(true);
        expect(await store.isParticipant('p2', 'user-1')).toBe(false);
        expect(await store.participants('p2')).toEqual([]);
        expect((await store.getRoom('p2'))?.lastSeq).toBe(0);
      });
    });

    describe('leave', () => {
      it('removes a buyer and writes a SYSTEM LEFT message with the new count', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        const result = await store.leave('p1', 'user-1', T0 + 30);

        expect(result.left).toBe(true);
        expect(result.room).toMatchObject({ status: 'ACTIVE', participantCount: 1, lastSeq: 3 });
        expect(result.messages).toHaveLength(1);
        expect(result.messages[0]).toStrictEqual<ChatMessage>({
          id: expect.stringMatching(UUID),
          roomId: 'p1',
          seq: 3,
          type: 'SYSTEM',
          sender: null,
          content: 'Buyer 1 left the deal (1/10).',
          createdAt: new Date(T0 + 30).toISOString(),
          event: { type: 'LEFT', userId: 'user-1', name: 'Buyer 1' },
          room: { status: 'ACTIVE', participantCount: 1, maxParticipants: 10 },
        });
        expect(await store.isParticipant('p1', 'user-1')).toBe(false);
        expect((await store.participants('p1')).map((p) => p.userId)).toEqual(['user-2']);
      });

      it('answers left false and writes nothing when the user is not a buyer', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const result = await store.leave('p1', 'user-1', T0);
        expect(result.left).toBe(false);
        expect(result.messages).toEqual([]);
        expect(result.room.lastSeq).toBe(0);
      });

      it('rejects a leave with ROOM_NOT_ACTIVE once the room closed', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 2, minParticipants: 1 }), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        await expectChatError(store.leave('p1', 'user-1', T0 + 1), 'ROOM_NOT_ACTIVE');
        expect(await store.isParticipant('p1', 'user-1')).toBe(true);
      });

      it('throws ROOM_NOT_FOUND for a product with no room', async () => {
        await expectChatError(store.leave('nope', 'user-1', T0), 'ROOM_NOT_FOUND');
      });

      it('lets a buyer who left join again, last in join order', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        await store.leave('p1', 'user-1', T0 + 1);
        const again = await store.join('p1', user(1), T0 + 2);
        expect(again.joined).toBe(true);
        expect(again.room.participantCount).toBe(2);
        expect((await store.participants('p1')).map((p) => p.userId)).toEqual(['user-2', 'user-1']);
      });
    });

    describe('append', () => {
      it('assigns gap-free seqs from 1 and moves lastSeq with them', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const stored: ChatMessage[] = [];
        for (let i = 0; i < 5; i++) stored.push((await store.append('p1', chat(user(1), `m${i}`), T0 + i)).message);
        expect(seqs(stored)).toEqual([1, 2, 3, 4, 5]);
        expect((await store.getRoom('p1'))?.lastSeq).toBe(5);
      });

      it('stores a chat message with its sender and echoes the clientMsgId', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const { message, duplicate } = await store.append('p1', chat(user(1), 'hello', { clientMsgId: 'c-1' }), T0 + 7);
        expect(duplicate).toBe(false);
        expect(message).toStrictEqual<ChatMessage>({
          id: expect.stringMatching(UUID),
          roomId: 'p1',
          seq: 1,
          type: 'CHAT',
          sender: { userId: 'user-1', name: 'Buyer 1' },
          content: 'hello',
          createdAt: new Date(T0 + 7).toISOString(),
          clientMsgId: 'c-1',
        });
      });

      it('leaves clientMsgId, event and room out of a message that has none', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const { message } = await store.append('p1', chat(user(1), 'no key'), T0);
        const [paged] = (await store.page('p1', { limit: 10 })).messages;
        for (const m of [message, paged]) {
          expect(m).not.toHaveProperty('clientMsgId');
          expect(m).not.toHaveProperty('event');
          expect(m).not.toHaveProperty('room');
        }
      });

      it('returns the stored message with duplicate true when a clientMsgId is retried, writing nothing', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const first = await store.append('p1', chat(user(1), 'once', { clientMsgId: 'c-1' }), T0);
        const retry = await store.append('p1', chat(user(1), 'once (edited)', { clientMsgId: 'c-1' }), T0 + 1000);
        expect(retry.duplicate).toBe(true);
        expect(retry.message).toStrictEqual(first.message);
        expect((await store.getRoom('p1'))?.lastSeq).toBe(1);
        expect(await allMessages('p1')).toHaveLength(1);
      });

      it('returns the stored message for a retry that arrives after the room left the allowed statuses', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const first = await store.append('p1', chat(user(1), 'just in time', { clientMsgId: 'c-1' }), T0);
        await store.settle('p1', { status: 'CANCELLED', reason: 'HOST' }, T0 + 1);
        const retry = await store.append('p1', chat(user(1), 'just in time', { clientMsgId: 'c-1', allowedStatuses: ['ACTIVE'] }), T0 + 2);
        expect(retry).toStrictEqual({ message: first.message, duplicate: true });
      });

      it('treats the same clientMsgId from another sender or in another room as a new message', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.createRoom(roomInput('p2'), T0);
        const a = await store.append('p1', chat(user(1), 'a', { clientMsgId: 'same' }), T0);
        const b = await store.append('p1', chat(user(2), 'b', { clientMsgId: 'same' }), T0);
        const c = await store.append('p2', chat(user(1), 'c', { clientMsgId: 'same' }), T0);
        expect([a.duplicate, b.duplicate, c.duplicate]).toEqual([false, false, false]);
        expect(seqs([a.message, b.message])).toEqual([1, 2]);
        expect(c.message.seq).toBe(1);
      });

      it('stores a NOTIFICATION without a sender and dedupes its retry', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const notice: NewMessage = {
          type: 'NOTIFICATION',
          sender: null,
          content: 'Shipping starts Monday.',
          clientMsgId: 'notice-1',
          allowedStatuses: ['ACTIVE', 'CLOSED', 'CANCELLED'],
        };
        const first = await store.append('p1', notice, T0);
        expect(first.message).toMatchObject({ type: 'NOTIFICATION', sender: null, content: 'Shipping starts Monday.' });
        const retry = await store.append('p1', notice, T0 + 1);
        expect(retry).toStrictEqual({ message: first.message, duplicate: true });
      });

      it('rejects with ROOM_NOT_ACTIVE when the room status is not allowed, writing nothing', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + 1);
        const err = await chatErrorOf(store.append('p1', chat(user(1), 'late', { allowedStatuses: ['ACTIVE'] }), T0 + 2));
        expect(err.code).toBe('ROOM_NOT_ACTIVE');
        expect(err.message.length).toBeGreaterThan(0);
        expect((await store.getRoom('p1'))?.lastSeq).toBe(1);
      });

      it('accepts a message in a CLOSED room when CLOSED is allowed', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + 1);
        const { message } = await store.append('p1', chat(user(1), 'after closing', { allowedStatuses: ['CLOSED'] }), T0 + 2);
        expect(message.seq).toBe(2);
      });

      it('throws ROOM_NOT_FOUND for a product with no room', async () => {
        await expectChatError(store.append('nope', chat(user(1), 'x'), T0), 'ROOM_NOT_FOUND');
      });

      it('gives every message a distinct UUID', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const ids = new Set<string>();
        for (let i = 0; i < 20; i++) {
          const { message } = await store.append('p1', chat(user(1), `m${i}`), T0);
          expect(message.id).toMatch(UUID);
          ids.add(message.id);
        }
        expect(ids.size).toBe(20);
      });

      it('keeps seqs gap-free when 100 appends race with joins', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 1000 }), T0);
        await Promise.all([
          ...range(1, 100).map((i) => store.append('p1', chat(user(i % 7), `m${i}`, { clientMsgId: `k${i}` }), T0 + i)),
          ...range(1, 20).map((i) => store.join('p1', user(i), T0 + i)),
        ]);
        const history = await allMessages('p1');
        expect(seqs(history)).toEqual(range(1, 120));
        expect((await store.getRoom('p1'))?.lastSeq).toBe(120);
      });

      it('keeps one copy when the same clientMsgId is sent concurrently', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const results = await Promise.all(
          range(1, 10).map(() => store.append('p1', chat(user(1), 'double tap', { clientMsgId: 'tap' }), T0)),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(await allMessages('p1')).toHaveLength(1);
      });

      it('returns content exactly as given, including Korean, emoji, quotes and newlines', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const text = '공동구매 참여합니다 🙌\n"quotes" \'apostrophes\' <b>not html</b> v1:looks:like:cipher';
        const { message } = await store.append('p1', chat(user(1), text), T0);
        expect(message.content).toBe(text);
        expect((await store.page('p1', { limit: 1 })).messages[0]?.content).toBe(text);
      });
    });

    describe('page', () => {
      async function seed(count: number): Promise<void> {
        await store.createRoom(roomInput('p1'), T0);
        for (let i = 1; i <= count; i++) await store.append('p1', chat(user(1), `m${i}`), T0 + i);
      }

      it('walks 120 messages back in pages of 50: 71..120, 21..70, 1..20', async () => {
        await seed(120);
        const newest = await store.page('p1', { limit: 50 });
        expect(seqs(newest.messages)).toEqual(range(71, 120));
        expect(newest.hasMore).toBe(true);

        const middle = await store.page('p1', { before: 71, limit: 50 });
        expect(seqs(middle.messages)).toEqual(range(21, 70));
        expect(middle.hasMore).toBe(true);

        const oldest = await store.page('p1', { before: 21, limit: 50 });
        expect(seqs(oldest.messages)).toEqual(range(1, 20));
        expect(oldest.hasMore).toBe(false);
      });

      it('pages forward after a seq: after=100 returns 101..120 with hasMore false', async () => {
        await seed(120);
        const page = await store.page('p1', { after: 100, limit: 50 });
        expect(seqs(page.messages)).toEqual(range(101, 120));
        expect(page.hasMore).toBe(false);
      });

      it('says hasMore when newer messages exist beyond a forward page', async () => {
        await seed(120);
        const page = await store.page('p1', { after: 0, limit: 50 });
        expect(seqs(page.messages)).toEqual(range(1, 50));
        expect(page.hasMore).toBe(true);
      });

      it('says hasMore false when a backward page ends exactly at the first message', async () => {
        await seed(50);
        const page = await store.page('p1', { limit: 50 });
        expect(seqs(page.messages)).toEqual(range(1, 50));
        expect(page.hasMore).toBe(false);
      });

      it('returns an empty page for a room with no messages', async () => {
        await store.createRoom(roomInput('p1'), T0);
        expect(await store.page('p1', { limit: 50 })).toStrictEqual({ messages: [], hasMore: false });
        expect(await store.page('p1', { after: 0, limit: 50 })).toStrictEqual({ messages: [], hasMore: false });
      });

      it('throws ROOM_NOT_FOUND for a product with no room', async () => {
        await expectChatError(store.page('nope', { limit: 50 }), 'ROOM_NOT_FOUND');
      });

      it('decodes every message exactly as it was returned when written', async () => {
        await store.createRoom(roomInput('p1', { maxParticipants: 2, minParticipants: 1 }), T0);
        const written: ChatMessage[] = [];
        written.push(...(await store.join('p1', user(1), T0 + 1)).messages);
        written.push((await store.append('p1', chat(user(1), 'hi', { clientMsgId: 'c1' }), T0 + 2)).message);
        written.push(
          (await store.append('p1', { type: 'NOTIFICATION', sender: null, content: 'notice', allowedStatuses: ['ACTIVE'] }, T0 + 3))
            .message,
        );
        written.push(...(await store.join('p1', user(2), T0 + 4)).messages);
        expect(await allMessages('p1')).toStrictEqual(written);
        expect(seqs(written)).toEqual([1, 2, 3, 4, 5]);
      });

      it('does not mix rooms', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.createRoom(roomInput('p2'), T0);
        await store.append('p1', chat(user(1), 'in p1'), T0);
        await store.append('p2', chat(user(1), 'in p2'), T0);
        const page = await store.page('p2', { limit: 50 });
        expect(page.messages.map((m) => [m.roomId, m.content])).toEqual([['p2', 'in p2']]);
      });
    });

    describe('settle', () => {
      it('closes an ACTIVE room on request with one SYSTEM CLOSED message', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.join('p1', user(1), T0);
        const result = await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + 50);
        expect(result?.room).toMatchObject({
          status: 'CLOSED',
          closedAt: new Date(T0 + 50).toISOString(),
          participantCount: 1,
          lastSeq: 2,
        });
        expect(result?.messages).toHaveLength(1);
        expect(result?.messages[0]).toMatchObject({
          seq: 2,
          type: 'SYSTEM',
          sender: null,
          createdAt: new Date(T0 + 50).toISOString(),
          event: { type: 'CLOSED', reason: 'HOST' },
          room: { status: 'CLOSED', participantCount: 1, maxParticipants: 10 },
        });
        expect(await store.getRoom('p1')).toStrictEqual(result?.room);
      });

      it('cancels an ACTIVE room on request', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const result = await store.settle('p1', { status: 'CANCELLED', reason: 'HOST' }, T0 + 1);
        expect(result?.room.status).toBe('CANCELLED');
        expect(result?.messages[0]).toMatchObject({
          event: { type: 'CANCELLED', reason: 'HOST' },
          content: 'The deal was cancelled by the seller.',
        });
      });

      it('closes at the deadline when the buyers reached minParticipants', async () => {
        await store.createRoom(roomInput('p1', { minParticipants: 2 }), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        const result = await store.settle('p1', { reason: 'DEADLINE' }, T0 + HOUR_MS);
        expect(result?.room.status).toBe('CLOSED');
        expect(result?.messages[0]?.event).toStrictEqual({ type: 'CLOSED', reason: 'DEADLINE' });
      });

      it('cancels at the deadline when the buyers fell short of minParticipants', async () => {
        await store.createRoom(roomInput('p1', { minParticipants: 3 }), T0);
        await store.join('p1', user(1), T0);
        await store.join('p1', user(2), T0);
        const result = await store.settle('p1', { reason: 'DEADLINE' }, T0 + HOUR_MS);
        expect(result?.room).toMatchObject({ status: 'CANCELLED', closedAt: new Date(T0 + HOUR_MS).toISOString() });
        expect(result?.messages[0]).toMatchObject({
          event: { type: 'CANCELLED', reason: 'DEADLINE' },
          room: { status: 'CANCELLED', participantCount: 2, maxParticipants: 10 },
          content: 'The deal was cancelled: not enough buyers by the deadline (2/10).',
        });
      });

      it('returns null and writes nothing when the room already left ACTIVE', async () => {
        await store.createRoom(roomInput('p1'), T0);
        await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + 1);
        const before = await store.getRoom('p1');
        expect(await store.settle('p1', { status: 'CANCELLED', reason: 'HOST' }, T0 + 2)).toBeNull();
        expect(await store.settle('p1', { reason: 'DEADLINE' }, T0 + 3)).toBeNull();
        expect(await store.getRoom('p1')).toStrictEqual(before);
      });

      it('throws ROOM_NOT_FOUND for a product with no room', async () => {
        await expectChatError(store.settle('nope', { reason: 'DEADLINE' }, T0), 'ROOM_NOT_FOUND');
      });

      it('lets exactly one of two concurrent settles win', async () => {
        await store.createRoom(roomInput('p1'), T0);
        const results = await Promise.all([
          store.settle('p1', { reason: 'DEADLINE' }, T0 + HOUR_MS),
          store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + HOUR_MS),
        ]);
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const history = await allMessages('p1');
        expect(history).toHaveLength(1);
        expect(history[0]).toStrictEqual(winners[0]?.messages[0]);
      });
    });

    describe('deadlines', () => {
      it('lists ACTIVE rooms whose deadline is at or before now, and no others', async () => {
        await store.createRoom(roomInput('past', { expiresAt: new Date(T0 - 1).toISOString() }), T0 - HOUR_MS);
        await store.createRoom(roomInput('now', { expiresAt: new Date(T0).toISOString() }), T0 - HOUR_MS);
        await store.createRoom(roomInput('later', { expiresAt: new Date(T0 + 1).toISOString() }), T0 - HOUR_MS);
        await store.createRoom(roomInput('settled', { expiresAt: new Date(T0 - 5).toISOString() }), T0 - HOUR_MS);
        await store.settle('settled', { status: 'CANCELLED', reason: 'HOST' }, T0 - 10);

        const due = await store.dueRooms(T0);
        expect(due.map((r) => r.productId).sort()).toEqual(['now', 'past']);
        expect(due.every((r) => r.status === 'ACTIVE')).toBe(true);
        expect(await store.getRoom('past')).toStrictEqual(due.find((r) => r.productId === 'past'));
      });

      it('gives the earliest deadline among ACTIVE rooms in epoch ms', async () => {
        await store.createRoom(roomInput('a', { expiresAt: new Date(T0 + 3 * HOUR_MS).toISOString() }), T0);
        await store.createRoom(roomInput('b', { expiresAt: new Date(T0 + 2 * HOUR_MS).toISOString() }), T0);
        await store.createRoom(roomInput('c', { expiresAt: new Date(T0 + HOUR_MS).toISOString() }), T0);
        await store.settle('c', { status: 'CLOSED', reason: 'HOST' }, T0);
        expect(await store.nextDeadline()).toBe(T0 + 2 * HOUR_MS);
      });

      it('has no next deadline when no room is ACTIVE', async () => {
        expect(await store.nextDeadline()).toBeNull();
        await store.createRoom(roomInput('a'), T0);
        await store.settle('a', { reason: 'DEADLINE' }, T0 + HOUR_MS);
        expect(await store.nextDeadline()).toBeNull();
        expect(await store.dueRooms(T0 + 10 * HOUR_MS)).toEqual([]);
      });
    });

    if (options.durable ?? true)
      describe('content at rest', () => {
        it('does not store content in plain text when a cipher is given', async () => {
          const encrypted = await makeStore({ cipher: createAesGcmCipher(randomBytes(32)) });
          try {
            const s = encrypted.store;
            await s.createRoom(roomInput('p1', { maxParticipants: 10 }), T0);
            await s.join('p1', { userId: 'u1', name: 'Kim' }, T0);
            await s.append(
              'p1',
              { type: 'CHAT', sender: { userId: 'u1', name: 'Kim' }, content: '비밀 메시지 secret', allowedStatuses: ['ACTIVE'] },
              T0,
            );
            if (!encrypted.rawContents) throw new Error('a durable store harness must provide rawContents()');
            const rows = await encrypted.rawContents();
            expect(rows).toHaveLength(2);
            for (const row of rows) {
              expect(row).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
              expect(row).not.toContain('secret');
              expect(row).not.toContain('Kim joined');
            }
            const page = await s.page('p1', { limit: 10 });
            expect(page.messages.map((m) => m.content)).toEqual(['Kim joined the deal (1/10).', '비밀 메시지 secret']);
          } finally {
            await encrypted.cleanup();
          }
        });

        it('stores content as given without a cipher', async () => {
          await store.createRoom(roomInput('p1'), T0);
          await store.append('p1', { type: 'NOTIFICATION', sender: null, content: 'plain notice', allowedStatuses: ['ACTIVE'] }, T0);
          if (!harness.rawContents) throw new Error('a durable store harness must provide rawContents()');
          expect(await harness.rawContents()).toEqual(['plain notice']);
        });
      });

    if (options.durable ?? true)
      describe('persistence', () => {
        it('keeps rooms, buyers and messages across close and reopen', async () => {
          if (!harness.reopen) throw new Error('a durable store harness must provide reopen()');
          await store.createRoom(roomInput('p1', { maxParticipants: 3 }), T0);
          await store.join('p1', user(1), T0 + 1);
          await store.append('p1', chat(user(1), 'before restart', { clientMsgId: 'c1' }), T0 + 2);
          const room = await store.getRoom('p1');
          const people = await store.participants('p1');
          const history = await allMessages('p1');
          await store.close();

          store = await harness.reopen();
          expect(await store.getRoom('p1')).toStrictEqual(room);
          expect(await store.participants('p1')).toStrictEqual(people);
          expect(await allMessages('p1')).toStrictEqual(history);
          expect(await store.nextDeadline()).toBe(T0 + HOUR_MS);
        });

        it('continues the seq and the idempotency keys after reopen', async () => {
          if (!harness.reopen) throw new Error('a durable store harness must provide reopen()');
          await store.createRoom(roomInput('p1'), T0);
          const first = await store.append('p1', chat(user(1), 'one', { clientMsgId: 'c1' }), T0);
          await store.close();

          store = await harness.reopen();
          const retry = await store.append('p1', chat(user(1), 'one', { clientMsgId: 'c1' }), T0 + 1);
          expect(retry).toStrictEqual({ message: first.message, duplicate: true });
          const next = await store.append('p1', chat(user(1), 'two'), T0 + 2);
          expect(next.message.seq).toBe(2);
        });
      });
  });
}
