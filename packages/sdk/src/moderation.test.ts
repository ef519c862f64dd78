import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, Room, RoomRelation } from '@groupbuy/protocol';
import { Moderation, applyModeration, deletedSeq } from './moderation.js';
import { MessageList } from './message-list.js';
import { RestClient } from './rest.js';
import { RoomRest } from './room-rest.js';

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

describe('Moderation: the user’s mute and slow-mode cooldown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2030-03-01T09:30:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  /** A Moderation over a fixed room for `relation` (the REST client is never called by these). */
  function moderationFor(relation: RoomRelation, slowModeMs = 0) {
    const state = { room: { ...room, slowModeMs }, relations: [relation] as RoomRelation[] };
    const events: { type: string; payload: unknown }[] = [];
    const rest = new RestClient({ baseUrl: 'http://127.0.0.1:1', fetch, token: () => Promise.resolve(undefined) });
    const moderation = new Moderation({
      list: new MessageList(),
      api: new RoomRest(rest, 'p1', () => undefined),
      room: () => state.room,
      relations: () => state.relations,
      userId: () => 'ann',
      serverNowMs: () => Date.now(),
      endedWith: () => undefined,
      roomChanged: () => undefined,
      emit: (type, payload) => events.push({ type, payload }),
    });
    return { state, events, moderation };
  }
  // The waits load on first need (moderation-state.ts): lets that import and the calls queued on it settle.
  async function loaded(): Promise<void> {
    await import('./moderation-state.js');
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  }
  const own = (at: number): ChatMessage => ({
    id: `c${at}`,
    roomId: 'p1',
    seq: 10,
    type: 'CHAT',
    sender: { userId: 'ann', name: 'Ann' },
    content: 'hi',
    createdAt: new Date(at).toISOString(),
  });

  it('counts the cooldown from the user’s last stored CHAT by the protocol’s sendWait, and clears it when it passes', async () => {
    const { moderation, events } = moderationFor('participant', 10_000);
    expect(moderation.cooldownUntil).toBeNull(); // nothing sent yet
    const now = Date.now();
    moderation.ingested(own(now - 4000), false);
    await loaded();
    expect(moderation.cooldownUntil).toBe(now + 6000);
    expect(moderation.refusal()).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 6000 });
    vi.advanceTimersByTime(6001);
    expect(moderation.cooldownUntil).toBeNull();
    expect(moderation.refusal()).toBeUndefined();
    expect(events.map((e) => e.payload)).toEqual([
      { mutedUntil: null, cooldownUntil: now + 6000 },
      { mutedUntil: null, cooldownUntil: null },
    ]);
  });

  it('has no cooldown for the seller, nor while slow mode is off', async () => {
    const host = moderationFor('host', 10_000);
    host.moderation.ingested(own(Date.now()), false);
    await loaded();
    expect(host.moderation.cooldownUntil).toBeNull();
    expect(host.moderation.refusal()).toBeUndefined();
    const off = moderationFor('participant', 0);
    off.moderation.ingested(own(Date.now()), false);
    expect(off.moderation.cooldownUntil).toBeNull();
    expect(off.events).toEqual([]);
  });

  it('keeps a RATE_LIMITED refusal’s wait while slow mode is on', async () => {
    const { moderation } = moderationFor('participant', 30_000);
    moderation.refused({ code: 'RATE_LIMITED', message: 'Slow mode', retryAfterMs: 12_000 });
    await loaded();
    expect(moderation.cooldownUntil).toBe(Date.now() + 12_000);
  });

  it('a MUTED notice mutes until its time, UNMUTED lifts it; each notice is emitted', async () => {
    const { moderation, events } = moderationFor('participant');
    const until = new Date(Date.now() + 60_000).toISOString();
    moderation.notice({ kind: 'MUTED', until });
    expect(events).toEqual([{ type: 'notice', payload: { kind: 'MUTED', until } }]); // at once
    await loaded();
    expect(moderation.mutedUntil).toBe(until);
    expect(moderation.refusal()).toMatchObject({ code: 'MUTED', retryAfterMs: 60_000 });
    moderation.notice({ kind: 'UNMUTED' });
    await loaded();
    expect(moderation.mutedUntil).toBeNull();
    expect(events).toEqual([
      { type: 'notice', payload: { kind: 'MUTED', until } },
      { type: 'moderation', payload: { mutedUntil: until, cooldownUntil: null } },
      { type: 'notice', payload: { kind: 'UNMUTED' } },
      { type: 'moderation', payload: { mutedUntil: null, cooldownUntil: null } },
    ]);
  });

  it('a MUTED refusal’s retryAfterMs sets the mute, which ends by itself; closing stops the timer', async () => {
    const { moderation, events } = moderationFor('signed-in');
    moderation.refused({ code: 'MUTED', message: 'Muted', retryAfterMs: 5000 });
    await loaded();
    expect(moderation.mutedUntil).toBe(new Date(Date.now() + 5000).toISOString());
    vi.advanceTimersByTime(5001);
    expect(moderation.mutedUntil).toBeNull();
    expect(events).toHaveLength(2);
    moderation.refused({ code: 'MUTED', message: 'Muted', retryAfterMs: 5000 });
    await loaded();
    moderation.close();
    vi.advanceTimersByTime(10_000);
    expect(events).toHaveLength(3);
  });
});
