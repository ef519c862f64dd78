import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError, type ErrorCode } from '@groupbuy/protocol';
import { createAesGcmCipher, type ContentCipher } from '../content-cipher.js';
import type { ChatStore, UserRef } from '../types.js';
import type { ContractHarness } from './contract.js';
import { T0, roomInput } from './fixtures.js';

const ALICE: UserRef = { userId: 'user-a', name: 'Alice' };

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    expect(err).toBeInstanceOf(ChatError);
    return (err as ChatError).code;
  }
}

/**
 * Moderation (issue 11) behaviour every ChatStore must have: tombstones, slow mode, the pinned notice,
 * mutes and reports. Called from each implementation's test file with the same factory as the main contract.
 */
export function describeModerationContract(
  name: string,
  makeStore: (options?: { cipher?: ContentCipher }) => Promise<ContractHarness>,
): void {
  describe(`ChatStore moderation contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: ChatStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      await store.createRoom(roomInput('p1'), T0);
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    const chat = (content: string) => store.append('p1', { type: 'CHAT', sender: ALICE, content, allowedStatuses: ['ACTIVE'] }, T0 + 1);
    const notice = (content: string) =>
      store.append('p1', { type: 'NOTIFICATION', sender: null, content, allowedStatuses: ['ACTIVE', 'CLOSED', 'CANCELLED'] }, T0 + 2);

    it('a new room has slow mode off and nothing pinned', async () => {
      const room = await store.getRoom('p1');
      expect(room?.slowModeMs).toBe(0);
      expect(room?.pinned).toBeNull();
    });

    it('delete leaves a tombstone (seq, sender, time kept, content erased) and a MESSAGE_DELETED event', async () => {
      const { message } = await chat('secret words');
      const result = await store.moderation.moderate('p1', { kind: 'delete', seq: message.seq }, T0 + 10);
      expect(result.target).toEqual({ ...message, content: '', deleted: true });
      expect(result.messages).toHaveLength(1);
      expect(result.messages[0]?.type).toBe('SYSTEM');
      expect(result.messages[0]?.event).toEqual({ type: 'MESSAGE_DELETED', targetSeq: message.seq });
      expect(result.room.lastSeq).toBe(message.seq + 1);

      const page = await store.page('p1', { limit: 10 });
      expect(page.messages.map((m) => [m.seq, m.content, m.deleted ?? false])).toEqual([
        [1, '', true],
        [2, 'A message was deleted.', false],
      ]);
      expect(await store.moderation.message('p1', 1)).toEqual(result.target);
    });

    it('deleting a tombstone again writes nothing; a SYSTEM message cannot be deleted; a missing seq is NOT_FOUND', async () => {
      await chat('hello');
      await store.moderation.moderate('p1', { kind: 'delete', seq: 1 }, T0 + 10);
      const again = await store.moderation.moderate('p1', { kind: 'delete', seq: 1 }, T0 + 11);
      expect(again.messages).toEqual([]);
      expect(again.room.lastSeq).toBe(2);
      expect(await codeOf(store.moderation.moderate('p1', { kind: 'delete', seq: 2 }, T0 + 12))).toBe('INVALID_INPUT');
      expect(await codeOf(store.moderation.moderate('p1', { kind: 'delete', seq: 99 }, T0 + 12))).toBe('NOT_FOUND');
      expect(await codeOf(store.moderation.moderate('nope', { kind: 'delete', seq: 1 }, T0 + 12))).toBe('ROOM_NOT_FOUND');
      expect(await store.moderation.message('p1', 99)).toBeNull();
    });

    it('slow mode is stored on the room and announced once per change', async () => {
      const on = await store.moderation.moderate('p1', { kind: 'slowMode', slowModeMs: 10_000, auto: true }, T0 + 10);
      expect(on.room.slowModeMs).toBe(10_000);
      expect(on.messages[0]?.event).toEqual({ type: 'SLOW_MODE_CHANGED', slowModeMs: 10_000, auto: true });
      expect((await store.getRoom('p1'))?.slowModeMs).toBe(10_000);
      expect((await store.moderation.moderate('p1', { kind: 'slowMode', slowModeMs: 10_000, auto: false }, T0 + 11)).messages).toEqual([]);
      const off = await store.moderation.moderate('p1', { kind: 'slowMode', slowModeMs: 0, auto: false }, T0 + 12);
      expect(off.messages[0]?.event).toEqual({ type: 'SLOW_MODE_CHANGED', slowModeMs: 0 });
      expect((await store.getRoom('p1'))?.slowModeMs).toBe(0);
    });

    it('pins a NOTIFICATION only, unpins, and a deleted pinned notice comes down with it', async () => {
      const { message: chatMessage } = await chat('not a notice');
      const { message: n } = await notice('Ships on Friday');
      expect(await codeOf(store.moderation.moderate('p1', { kind: 'pin', seq: chatMessage.seq }, T0 + 10))).toBe('INVALID_INPUT');
      const pinned = await store.moderation.moderate('p1', { kind: 'pin', seq: n.seq }, T0 + 10);
      expect(pinned.room.pinned).toEqual(n);
      expect(pinned.messages[0]?.event).toEqual({ type: 'PINNED', targetSeq: n.seq, pinned: n });
      expect((await store.getRoom('p1'))?.pinned).toEqual(n);
      expect((await store.moderation.moderate('p1', { kind: 'pin', seq: n.seq }, T0 + 11)).messages).toEqual([]);

      const unpinned = await store.moderation.moderate('p1', { kind: 'unpin' }, T0 + 12);
      expect(unpinned.room.pinned).toBeNull();
      expect(unpinned.messages[0]?.event).toEqual({ type: 'UNPINNED' });
      expect((await store.moderation.moderate('p1', { kind: 'unpin' }, T0 + 13)).messages).toEqual([]);

      await store.moderation.moderate('p1', { kind: 'pin', seq: n.seq }, T0 + 14);
      const deleted = await store.moderation.moderate('p1', { kind: 'delete', seq: n.seq }, T0 + 15);
      expect(deleted.room.pinned).toBeNull();
      expect((await store.getRoom('p1'))?.pinned).toBeNull();
    });

    it('mutes are set, replaced and lifted per room and user', async () => {
      expect(await store.moderation.muteUntil('p1', 'user-a')).toBeNull();
      await store.moderation.setMute('p1', 'user-a', T0 + 60_000);
      await store.moderation.setMute('p1', 'user-a', T0 + 120_000);
      expect(await store.moderation.muteUntil('p1', 'user-a')).toBe(T0 + 120_000);
      expect(await store.moderation.muteUntil('p1', 'user-b')).toBeNull();
      await store.moderation.setMute('p1', 'user-a', null);
      expect(await store.moderation.muteUntil('p1', 'user-a')).toBeNull();
      expect(await codeOf(store.moderation.setMute('nope', 'user-a', T0))).toBe('ROOM_NOT_FOUND');
    });

    it('reports are listed by seq; a second report by the same user replaces the first', async () => {
      await chat('one');
      await chat('two');
      await store.moderation.addReport('p1', { seq: 2, reporterId: 'user-b', reason: 'spam' }, T0 + 5);
      await store.moderation.addReport('p1', { seq: 1, reporterId: 'user-b', reason: 'rude' }, T0 + 6);
      await store.moderation.addReport('p1', { seq: 2, reporterId: 'user-b', reason: 'spam, really' }, T0 + 7);
      expect(await store.moderation.reports('p1')).toEqual([
        { seq: 1, reporterId: 'user-b', reason: 'rude', createdAt: new Date(T0 + 6).toISOString() },
        { seq: 2, reporterId: 'user-b', reason: 'spam, really', createdAt: new Date(T0 + 7).toISOString() },
      ]);
      expect(await codeOf(store.moderation.reports('nope'))).toBe('ROOM_NOT_FOUND');
    });

    it('an encrypted store erases the deleted text from storage and still reads the tombstone', async () => {
      await harness.cleanup();
      harness = await makeStore({ cipher: createAesGcmCipher(randomBytes(32)) });
      store = harness.store;
      await store.createRoom(roomInput('p1'), T0);
      await chat('keep me');
      await chat('erase me');
      await store.moderation.moderate('p1', { kind: 'delete', seq: 2 }, T0 + 10);
      const page = await store.page('p1', { limit: 10 });
      expect(page.messages.map((m) => m.content)).toEqual(['keep me', '', 'A message was deleted.']);
      if (harness.rawContents) {
        const raw = await harness.rawContents();
        expect(raw).toHaveLength(3);
        expect(raw.join('\n')).not.toContain('erase me');
      }
    });
  });
}
