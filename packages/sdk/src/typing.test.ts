import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS, type ChatMessage } from '@groupbuy/protocol';
import { TypingThrottle, TypingUsers } from './typing.js';
import { UnreadCounter } from './unread.js';

// The typing list and the unread counter on their own (the conformance suite runs them against the server).

const ann = { userId: 'ann', name: 'Ann' };
const bob = { userId: 'bob', name: 'Bob' };

function chat(seq: number, senderId: string | null, type: ChatMessage['type'] = 'CHAT'): ChatMessage {
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    type,
    sender: senderId === null ? null : { userId: senderId, name: senderId },
    content: 'x',
    createdAt: '2030-01-01T00:00:00.000Z',
  };
}

describe('TypingUsers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps a name for typingExpiryMs after its last event, refreshed by each event', () => {
    const changes: string[][] = [];
    const users: TypingUsers = new TypingUsers(() => changes.push(users.list.map((u) => u.userId)));
    users.seen(ann);
    users.seen(bob);
    vi.advanceTimersByTime(LIMITS.typingExpiryMs - 1);
    users.seen(ann); // refreshed: no change event
    vi.advanceTimersByTime(1);
    expect(users.list).toEqual([ann]);
    vi.advanceTimersByTime(LIMITS.typingExpiryMs);
    expect(users.list).toEqual([]);
    expect(changes).toEqual([['ann'], ['ann', 'bob'], ['ann'], []]);
  });

  it('drops a name at once (their message) and forgets everyone on clear', () => {
    const users = new TypingUsers(() => undefined);
    users.seen(ann);
    users.seen(bob);
    users.drop('ann');
    expect(users.list).toEqual([bob]);
    users.clear();
    expect(users.list).toEqual([]);
  });
});

describe('TypingThrottle', () => {
  it('lets one through per typingThrottleMs, and again at once after a reset', () => {
    let now = 1_000;
    const gate = new TypingThrottle(() => now);
    expect(gate.take()).toBe(true);
    now += LIMITS.typingThrottleMs - 1;
    expect(gate.take()).toBe(false);
    now += 1;
    expect(gate.take()).toBe(true);
    gate.reset();
    expect(gate.take()).toBe(true);
  });
});

describe('UnreadCounter', () => {
  it('starts from the server, counts others’ live CHAT once, not SYSTEM or own, and lowers on reads', () => {
    const seen: number[] = [];
    const unread = new UnreadCounter((n) => seen.push(n));
    unread.fromServer(2, 5);
    unread.arrived(chat(5, 'bob'), 'ann'); // already in the server's count
    unread.arrived(chat(6, 'bob'), 'ann');
    unread.arrived(chat(6, 'bob'), 'ann'); // a replay of the same seq
    unread.arrived(chat(7, 'ann'), 'ann');
    unread.arrived(chat(8, null, 'SYSTEM'), 'ann');
    unread.arrived(chat(9, null, 'NOTIFICATION'), 'ann');
    expect(unread.value).toBe(4);
    unread.readUpTo(6, [chat(5, 'bob'), chat(6, 'bob'), chat(7, 'ann'), chat(8, null, 'SYSTEM'), chat(9, null, 'NOTIFICATION')], 'ann');
    expect(unread.value).toBe(1);
    unread.readUpTo(3, [], 'ann'); // backwards: ignored
    expect(unread.value).toBe(1);
    unread.readUpTo(9, [], 'ann', 0);
    expect(seen).toEqual([2, 3, 4, 1, 0]);
  });
});
