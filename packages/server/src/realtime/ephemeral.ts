import { ChatError, LIMITS, assertProductId, decide, orThrow, parseSeq, type Viewer } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { EphemeralEvent } from '../bus/types.js';
import type { RoomService } from '../rooms/service.js';
import type { Hub } from './hub.js';

// Typing and read positions (issue 12): room events that are not stored and not in the seq stream. They
// ride the bus's ephemeral channel to every instance and reach the subscriptions `ephemeralRecipient` picks.

/** Who hears an ephemeral event: typing goes to everyone but the typist, a read position only to its owner. */
export function ephemeralRecipient(event: EphemeralEvent, userId: string): boolean {
  return event.type === 'typing' ? event.user.userId !== userId : event.userId === userId;
}

/**
 * Drops typing events of one user in one room that come faster than {@link LIMITS.typingThrottleMs}: a
 * client that ignores the throttle costs one map lookup per frame, not a room read and a bus publish.
 */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number = LIMITS.typingThrottleMs,
  ) {}

  /** True (and the time recorded) when this user may be relayed as typing in this room now. */
  take(userId: string, roomId: string): boolean {
    const now = this.now();
    const key = `${userId}\u0000${roomId}`;
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    // Forget stale entries now and then, so a long-running instance does not keep every typist ever seen.
    if (this.last.size >= 10_000) for (const [k, t] of this.last) if (now - t >= this.intervalMs) this.last.delete(k);
    this.last.set(key, now);
    return true;
  }

  /** The user's message was stored: their next keystroke may say "typing" again at once (the SDK resets too). */
  reset(userId: string, roomId: string): void {
    this.last.delete(`${userId}\u0000${roomId}`);
  }
}

/**
 * "`principal` is typing in `productId`": throttled, then allowed only to someone who may post in the room
 * now (the room rules' `post`), then published to every instance. Throws ChatError ROOM_NOT_FOUND,
 * FORBIDDEN, ROOM_NOT_ACTIVE; a throttled call is dropped silently (the client throttles too).
 */
export async function relayTyping(deps: { service: RoomService; hub: Hub }, principal: Principal, productId: unknown): Promise<void> {
  const roomId = assertProductId(productId);
  if (principal.role === 'service') throw new ChatError('FORBIDDEN', 'The trade service does not type.');
  if (!deps.hub.typingThrottle.take(principal.userId, roomId)) return;
  const access = await deps.service.access(principal, roomId);
  orThrow(decide(access.relation, 'post', access.room));
  const user: Viewer = { userId: principal.userId, name: principal.name };
  await deps.hub.publishEphemeral({ type: 'typing', roomId, user });
}

/**
 * Moves `principal`'s read position in `productId` forward to `seq` (idempotent, never back) and tells the
 * user's other connections in the room. Returns the position and the unread count after it.
 */
export async function markRead(
  deps: { service: RoomService; hub: Hub },
  principal: Principal,
  productId: unknown,
  seq: unknown,
): Promise<{ seq: number; unreadCount: number }> {
  const roomId = assertProductId(productId);
  const target = parseSeq(seq, 'seq');
  if (target === undefined) throw new ChatError('INVALID_INPUT', '"seq" is required: the seq of the latest message read.');
  await deps.service.authorizeRead(principal, roomId);
  const { seq: position, moved } = await deps.service.markRead(roomId, principal.userId, target);
  if (moved) await deps.hub.publishEphemeral({ type: 'read', roomId, userId: principal.userId, seq: position });
  return { seq: position, unreadCount: await deps.service.unreadCount(roomId, principal.userId) };
}
