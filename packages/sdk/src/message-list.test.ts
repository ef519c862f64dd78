import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { MessageList, type LocalMessage } from './message-list.js';

function stored(seq: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m${seq}`,
    roomId: 'p1',
    seq,
    type: 'CHAT',
    sender: { userId: 'bob', name: 'Bob' },
    content: `#${seq}`,
    createdAt: new Date(seq * 1000).toISOString(),
    ...extra,
  };
}

function local(clientMsgId: string, status: LocalMessage['status'] = 'pending'): LocalMessage {
  return {
    id: clientMsgId,
    clientMsgId,
    roomId: 'p1',
    type: 'CHAT',
    sender: { userId: 'ann', name: 'Ann' },
    content: clientMsgId,
    createdAt: new Date(0).toISOString(),
    status,
  };
}

const seqs = (list: MessageList) => list.view().map((m) => m.seq ?? m.clientMsgId);

describe('MessageList', () => {
  it('orders stored messages by seq whatever order they arrive in', () => {
    const list = new MessageList();
    for (const seq of [3, 1, 5, 2, 4]) list.insert(stored(seq));
    expect(seqs(list)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps one copy of a message delivered twice', () => {
    const list = new MessageList();
    expect(list.insert(stored(1))).toBe(true);
    expect(list.insert(stored(1))).toBe(false);
    expect(list.view()).toHaveLength(1);
  });

  it('advances the contiguous seq only over messages without a hole', () => {
    const list = new MessageList();
    list.insert(stored(1));
    list.insert(stored(2));
    list.insert(stored(4));
    expect(list.contiguousSeq).toBe(2);
    expect(list.hasGap).toBe(true);
    list.insert(stored(3));
    expect(list.contiguousSeq).toBe(4);
    expect(list.hasGap).toBe(false);
  });

  it('counts a first page of the latest history as contiguous from its oldest message', () => {
    const list = new MessageList();
    list.restartFrom([stored(51), stored(52), stored(53)]);
    expect(list.contiguousSeq).toBe(53);
    list.insert(stored(10)); // an older page does not move it
    expect(list.contiguousSeq).toBe(53);
    expect(list.oldestSeq).toBe(10);
  });

  it('drops what lies before a restart page, keeping newer live messages', () => {
    const list = new MessageList();
    for (const seq of [1, 2, 3]) list.insert(stored(seq));
    list.insert(stored(2000));
    list.restartFrom([stored(1998), stored(1999)]);
    expect(seqs(list)).toEqual([1998, 1999, 2000]);
    expect(list.contiguousSeq).toBe(2000);
  });

  it('lists local copies after the stored messages, in the order they were made', () => {
    const list = new MessageList();
    list.putLocal(local('a'));
    list.insert(stored(1));
    list.putLocal(local('b'));
    expect(seqs(list)).toEqual([1, 'a', 'b']);
  });

  it('moves a local copy that is put again (a retry) to the end', () => {
    const list = new MessageList();
    list.putLocal(local('a', 'failed'));
    list.putLocal(local('b'));
    list.putLocal(local('a'));
    expect(seqs(list)).toEqual(['b', 'a']);
  });

  it('replaces the own local copy when the stored message with its clientMsgId arrives', () => {
    const list = new MessageList();
    list.putLocal(local('a'));
    list.insert(stored(7, { clientMsgId: 'a', sender: { userId: 'ann', name: 'Ann' } }), 'ann');
    expect(list.view()).toEqual([expect.objectContaining({ seq: 7, status: 'sent', clientMsgId: 'a' })]);
  });

  it("leaves the local copy alone when someone else's message carries the same clientMsgId", () => {
    const list = new MessageList();
    list.putLocal(local('a'));
    list.insert(stored(7, { clientMsgId: 'a' }), 'ann');
    expect(seqs(list)).toEqual([7, 'a']);
  });

  it('returns the same array until something changes', () => {
    const list = new MessageList();
    list.insert(stored(1));
    const first = list.view();
    expect(list.view()).toBe(first);
    list.insert(stored(1));
    expect(list.view()).toBe(first);
    list.insert(stored(2));
    expect(list.view()).not.toBe(first);
  });
});
