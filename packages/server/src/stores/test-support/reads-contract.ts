import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '@groupbuy/protocol';
import type { ChatStore, NewMessage, UserRef } from '../types.js';
import type { ContractHarness } from './contract.js';
import { T0, roomInput } from './fixtures.js';

const ALICE: UserRef = { userId: 'user-a', name: 'Alice' };
const BOB: UserRef = { userId: 'user-b', name: 'Bob' };

function chat(sender: UserRef | null, content: string): NewMessage {
  return { type: sender ? 'CHAT' : 'NOTIFICATION', sender, content, allowedStatuses: ['ACTIVE', 'CLOSED'] };
}

/**
 * Read positions (issue 12) every ChatStore must keep: only forward, clamped to the room's last seq,
 * per user and room, and an unread count that skips the reader's own messages and SYSTEM lines.
 */
export function describeReadsContract(name: string, makeStore: () => Promise<ContractHarness>, options: { durable: boolean }): void {
  describe(`ChatStore read positions contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: ChatStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      await store.createRoom(roomInput('p1'), T0);
      await store.createRoom(roomInput('p2'), T0);
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('counts every message of others as unread before anything is read', async () => {
      await store.append('p1', chat(BOB, 'one'), T0 + 1);
      await store.append('p1', chat(null, 'notice'), T0 + 2);
      await store.append('p1', chat(ALICE, 'mine'), T0 + 3);
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(2);
      expect(await store.reads.unreadCount('p1', BOB.userId)).toBe(2);
      expect(await store.reads.unreadCount('p2', ALICE.userId)).toBe(0);
    });

    it('does not count SYSTEM messages (joins and leaves)', async () => {
      await store.join('p1', BOB, T0 + 1);
      await store.append('p1', chat(BOB, 'hi'), T0 + 2);
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(1);
    });

    it('moves forward only, and a repeat writes nothing', async () => {
      for (let i = 1; i <= 5; i++) await store.append('p1', chat(BOB, `m${i}`), T0 + i);
      expect(await store.reads.markRead('p1', ALICE.userId, 3)).toEqual({ seq: 3, moved: true });
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(2);
      expect(await store.reads.markRead('p1', ALICE.userId, 3)).toEqual({ seq: 3, moved: false });
      expect(await store.reads.markRead('p1', ALICE.userId, 1)).toEqual({ seq: 3, moved: false });
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(2);
      expect(await store.reads.markRead('p1', ALICE.userId, 5)).toEqual({ seq: 5, moved: true });
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(0);
    });

    it('clamps a seq past the room’s last message to it', async () => {
      await store.append('p1', chat(BOB, 'one'), T0 + 1);
      await store.append('p1', chat(BOB, 'two'), T0 + 2);
      expect(await store.reads.markRead('p1', ALICE.userId, 1000)).toEqual({ seq: 2, moved: true });
      await store.append('p1', chat(BOB, 'three'), T0 + 3);
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(1);
    });

    it('keeps one position per user and room', async () => {
      for (let i = 1; i <= 3; i++) await store.append('p1', chat(null, `n${i}`), T0 + i);
      await store.append('p2', chat(null, 'other room'), T0 + 4);
      await store.reads.markRead('p1', ALICE.userId, 2);
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(1);
      expect(await store.reads.unreadCount('p1', BOB.userId)).toBe(3);
      expect(await store.reads.unreadCount('p2', ALICE.userId)).toBe(1);
    });

    it('keeps the highest position when reads race', async () => {
      for (let i = 1; i <= 10; i++) await store.append('p1', chat(BOB, `m${i}`), T0 + i);
      await Promise.all([7, 3, 9, 5, 8].map((seq) => store.reads.markRead('p1', ALICE.userId, seq)));
      expect(await store.reads.unreadCount('p1', ALICE.userId)).toBe(1);
      expect(await store.reads.markRead('p1', ALICE.userId, 9)).toEqual({ seq: 9, moved: false });
    });

    it('refuses an unknown room with ROOM_NOT_FOUND', async () => {
      for (const call of [store.reads.markRead('nope', ALICE.userId, 1), store.reads.unreadCount('nope', ALICE.userId)]) {
        const err = await call.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ChatError);
        expect((err as ChatError).code).toBe('ROOM_NOT_FOUND');
      }
    });

    if (options.durable) {
      it('keeps positions across a reopen', async () => {
        await store.append('p1', chat(BOB, 'one'), T0 + 1);
        await store.append('p1', chat(BOB, 'two'), T0 + 2);
        await store.reads.markRead('p1', ALICE.userId, 1);
        await store.close();
        const reopened = await harness.reopen?.();
        if (!reopened) throw new Error('a durable harness must reopen');
        expect(await reopened.reads.unreadCount('p1', ALICE.userId)).toBe(1);
      });
    }
  });
}
