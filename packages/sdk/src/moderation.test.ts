import { describe, expect, it } from 'vitest';
import type { ChatMessage, Room } from '@groupbuy/protocol';
import { applyModeration, deletedSeq } from './moderation.js';
import { MessageList } from './message-list.js';

const room: Room = {
  productId: 'p1',
  title: 'Tangerines',
  status: 'ACTIVE',
  maxParticipants: 10,
  minParticipants: 2,
  participantCount: 1,
  expiresAt: '2030-03-01T10:00:00.000Z',
  createdAt: '2030-03-01T09:00:00.000Z',
  closedAt: null,
  hostId: 'seller',
  lastSeq: 3,
  slowModeMs: 0,
  pinned: null,
};
const notice: ChatMessage = {
  id: 'n',
  roomId: 'p1',
  seq: 2,
  type: 'NOTIFICATION',
  sender: null,
  content: 'Ships Friday',
  createdAt: room.createdAt,
};
function system(seq: number, event: ChatMessage['event']): ChatMessage {
  return { id: `s${seq}`, roomId: 'p1', seq, type: 'SYSTEM', sender: null, content: '', createdAt: room.createdAt, event };
}

describe('moderation events in the session', () => {
  it('slow mode, pin and unpin update the room; deleting the pinned notice takes it down', () => {
    const slow = applyModeration(room, system(4, { type: 'SLOW_MODE_CHANGED', slowModeMs: 10_000, auto: true }));
    expect(slow.slowModeMs).toBe(10_000);
    const pinned = applyModeration(slow, system(5, { type: 'PINNED', targetSeq: 2, pinned: notice }));
    expect(pinned.pinned).toEqual(notice);
    expect(applyModeration(pinned, system(6, { type: 'UNPINNED' })).pinned).toBeNull();
    expect(applyModeration(pinned, system(6, { type: 'MESSAGE_DELETED', targetSeq: 2 })).pinned).toBeNull();
    expect(applyModeration(pinned, system(6, { type: 'MESSAGE_DELETED', targetSeq: 1 })).pinned).toEqual(notice);
    expect(applyModeration(room, notice)).toBe(room);
  });

  it('a MESSAGE_DELETED replaces the stored message with its tombstone in the list', () => {
    const list = new MessageList();
    const chat: ChatMessage = { ...notice, id: 'c', seq: 1, type: 'CHAT', sender: { userId: 'u', name: 'U' }, content: 'secret' };
    list.insert(chat);
    const deletion = system(2, { type: 'MESSAGE_DELETED', targetSeq: 1 });
    expect(deletedSeq(deletion)).toBe(1);
    expect(deletedSeq(chat)).toBeNull();
    expect(list.tombstone(1)).toBe(true);
    expect(list.tombstone(9)).toBe(false);
    const [first] = list.view();
    expect(first).toMatchObject({ seq: 1, content: '', deleted: true });
  });
});
