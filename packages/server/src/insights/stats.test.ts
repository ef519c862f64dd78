import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { TOP_INVITERS, computeRoomStats, median, membershipChanges } from './stats.js';
import type { FunnelChange, FunnelData } from './types.js';

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const ROOM = { createdAt: new Date(T0).toISOString() };

function change(seq: number, init: Partial<FunnelChange>): FunnelChange {
  return {
    seq,
    kind: 'JOIN',
    userId: `u${seq}`,
    atMs: T0 + seq * 1000,
    count: seq,
    inviterId: null,
    fills: false,
    firstViewAtMs: T0,
    inviterName: null,
    ...init,
  };
}

function funnel(changes: FunnelChange[], counts: Partial<FunnelData> = {}): FunnelData {
  return { viewers: 0, chatters: 0, messages: 0, changes, ...counts };
}

function system(seq: number, event: ChatMessage['event'], count: number): ChatMessage {
  return {
    id: `s${seq}`,
    roomId: 'p1',
    seq,
    type: 'SYSTEM',
    sender: null,
    content: '',
    createdAt: new Date(T0 + seq).toISOString(),
    event,
    room: { status: 'ACTIVE', participantCount: count, maxParticipants: 2 },
  };
}

describe('funnel stats', () => {
  it('takes the median of an odd and an even count (the middle two averaged), null for none', () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([1, 2])).toBe(2);
  });

  it('reads JOINED, LEFT and the CLOSED FILLED after a join out of the SYSTEM messages', () => {
    const messages = [
      system(1, { type: 'JOINED', userId: 'a', name: 'A', invitedBy: { userId: 'm', name: 'M' } }, 1),
      system(2, { type: 'LEFT', userId: 'a', name: 'A' }, 0),
      system(3, { type: 'PINNED', targetSeq: 1 }, 0),
      system(4, { type: 'JOINED', userId: 'b', name: 'B' }, 1),
      system(5, { type: 'CLOSED', reason: 'FILLED' }, 1),
    ];
    expect(membershipChanges(messages)).toEqual([
      { seq: 1, kind: 'JOIN', userId: 'a', atMs: T0 + 1, count: 1, inviterId: 'm', fills: false },
      { seq: 2, kind: 'LEAVE', userId: 'a', atMs: T0 + 2, count: 0, inviterId: null, fills: false },
      { seq: 4, kind: 'JOIN', userId: 'b', atMs: T0 + 4, count: 1, inviterId: null, fills: true },
    ]);
  });

  it('counts messages per minute over at least one minute, to two decimals', () => {
    expect(computeRoomStats(ROOM, funnel([], { messages: 5 }), T0 + 10_000).messagesPerMinute).toBe(5);
    expect(computeRoomStats(ROOM, funnel([], { messages: 10 }), T0 + 3 * 60_000).messagesPerMinute).toBe(3.33);
  });

  it('ranks inviters by joins, then by name, and keeps the top ones only', () => {
    const changes = [
      change(1, { inviterId: 'zed', inviterName: 'Zed' }),
      change(2, { inviterId: 'amy', inviterName: 'Amy' }),
      change(3, { inviterId: 'zed', inviterName: 'Zed' }),
      change(4, { inviterId: 'bo', inviterName: 'Bo' }),
      change(5, { kind: 'LEAVE', inviterId: null }),
      ...Array.from({ length: TOP_INVITERS + 2 }, (_, i) =>
        change(10 + i, { inviterId: `x${i}`, inviterName: `X${String(i).padStart(2, '0')}` }),
      ),
    ];
    const { inviters, joiners, leavers } = computeRoomStats(ROOM, funnel(changes), T0);
    expect(inviters).toHaveLength(TOP_INVITERS);
    expect(inviters.slice(0, 3)).toEqual([
      { userId: 'zed', name: 'Zed', joins: 2 },
      { userId: 'amy', name: 'Amy', joins: 1 },
      { userId: 'bo', name: 'Bo', joins: 1 },
    ]);
    expect([joiners, leavers]).toEqual([4 + TOP_INVITERS + 2, 1]);
  });

  it('has no median, no time to fill and no points before anything happened', () => {
    expect(computeRoomStats(ROOM, funnel([]), T0)).toEqual({
      uniqueViewers: 0,
      chatters: 0,
      joiners: 0,
      leavers: 0,
      messagesPerMinute: 0,
      medianViewToJoinMs: null,
      timeToFillMs: null,
      inviters: [],
      participantsOverTime: [],
    });
  });
});
