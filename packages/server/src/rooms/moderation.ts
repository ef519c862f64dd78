import {
  ChatError,
  autoSlowModeMs,
  decide,
  decideDelete,
  decideModeration,
  orThrow,
  parseMuteInput,
  parsePinBody,
  parseReportBody,
  parseSlowModeBody,
  sendWait,
  LIMITS,
  type AutoSlowMode,
  type ChatMessage,
  type MessageReport,
  type PrivateNotice,
  type Room,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { Logger } from '../logger.js';
import type { ModerationChange } from '../stores/moderation.js';
import type { ChatStore, LifecycleResult } from '../stores/types.js';
import type { Access, Clock } from './service.js';

const MINUTE_MS = 60_000;

/** What moderation needs from its RoomService (passed in by the service itself). */
export interface ModerationHost {
  /** The room and how `principal` relates to it. */
  access(principal: Principal, productId: string): Promise<Access>;
  /** Publishes the SYSTEM messages of a change to every instance. */
  publish(result: LifecycleResult): Promise<void>;
}

/**
 * When each user's last CHAT message in a room was accepted: slow mode's cooldown (issue 11), read by the
 * protocol's `sendWait`. {@link LocalCooldowns} on one instance; with Redis, every instance shares one
 * (RedisRateLimiter), so a second tab on another instance waits out the same cooldown.
 */
export interface ChatCooldowns {
  /** When `userId`'s last CHAT in the room was accepted (epoch ms), or null when none counts any more. */
  lastChatAt(roomId: string, userId: string): Promise<number | null>;
  /** Records an accepted CHAT of `userId` in the room at `atMs`. */
  recordChat(roomId: string, userId: string, atMs: number): Promise<void>;
}

/** {@link ChatCooldowns} of this instance alone: one map, pruned of entries no slow mode can still refuse. */
export class LocalCooldowns implements ChatCooldowns {
  private readonly lastChat = new Map<string, number>();

  async lastChatAt(roomId: string, userId: string): Promise<number | null> {
    return this.lastChat.get(key(roomId, userId)) ?? null;
  }

  async recordChat(roomId: string, userId: string, atMs: number): Promise<void> {
    this.lastChat.set(key(roomId, userId), atMs);
    if (this.lastChat.size <= 100_000) return;
    // Entries older than the longest slow mode can refuse nothing any more.
    for (const [k, t] of this.lastChat) if (atMs - t >= LIMITS.slowModeMaxMs) this.lastChat.delete(k);
  }
}

/** What moderation needs from the server. */
export interface ModerationDeps {
  /** Storage. */
  store: ChatStore;
  /** Time. */
  clock: Clock;
  /** Structured logs (never content, never reasons). */
  logger: Logger;
  /** Slow mode's cooldowns. @default this instance's own ({@link LocalCooldowns}) */
  cooldowns?: ChatCooldowns;
  /** Automatic slow mode near a busy deadline (`SLOW_MODE_AUTO`), or off. */
  autoSlowMode?: AutoSlowMode | null;
  /** Tells one user something on their own connections only (the private-notice delivery), when the server has one. */
  notifyUser?: (roomId: string, userId: string, notice: PrivateNotice) => void;
  /** Called after a message was deleted (its tombstone), e.g. to drop its attachments. Never throws into the route. */
  onMessageDeleted?: (roomId: string, tombstone: ChatMessage) => void | Promise<void>;
}

/**
 * Moderation (issue 11) for every transport: deleting, muting, reports, slow mode and the pinned notice, each
 * asking the rules of @groupbuy/protocol (decideModeration, decideDelete, sendWait, autoSlowModeMs). The send
 * path calls {@link checkSend} before it stores a CHAT message and {@link accepted} after, whatever the transport.
 * Slow mode's cooldown is shared by the instances when they share Redis ({@link ChatCooldowns}); the auto
 * trigger's message rate is counted per instance (each instance sees the busy minute it carries).
 */
export class Moderation {
  private readonly cooldowns: ChatCooldowns;
  // room → accept times of its CHAT messages in the last minute (the auto slow-mode trigger), near deadlines only.
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly host: ModerationHost,
    private readonly deps: ModerationDeps,
  ) {
    this.cooldowns = deps.cooldowns ?? new LocalCooldowns();
  }

  /** Refuses a CHAT send with MUTED or RATE_LIMITED (slow mode), both with `retryAfterMs`. */
  async checkSend(access: Access, principal: Principal): Promise<void> {
    const { room, relation } = access;
    if (relation === 'service' || relation === 'host') return;
    const now = this.deps.clock.now();
    const muteUntilMs = await this.deps.store.moderation.muteUntil(room.productId, principal.userId);
    const lastChatAtMs = room.slowModeMs > 0 ? await this.cooldowns.lastChatAt(room.productId, principal.userId) : null;
    const wait = sendWait(relation, { muteUntilMs, slowModeMs: room.slowModeMs, lastChatAtMs }, now);
    if (wait) throw new ChatError(wait.error.code, wait.error.message, { retryAfterMs: wait.error.retryAfterMs ?? 0 });
  }

  /** Records an accepted CHAT message: the sender's cooldown starts, and a busy final stretch may turn slow mode on. */
  async accepted(room: Room, userId: string): Promise<void> {
    const now = this.deps.clock.now();
    // Awaited only while slow mode is on (the next send must see it); otherwise off the send's path (with
    // Redis a round trip), recorded so a slow mode turned on next counts from this message.
    const recorded = this.cooldowns.recordChat(room.productId, userId, now);
    if (room.slowModeMs > 0) await recorded;
    else void recorded.catch(() => undefined);
    const auto = this.deps.autoSlowMode;
    if (!auto || room.status !== 'ACTIVE' || Date.parse(room.expiresAt) - now > auto.windowMs) return;
    const times = (this.recent.get(room.productId) ?? []).filter((t) => now - t < MINUTE_MS);
    times.push(now);
    this.recent.set(room.productId, times);
    const slowModeMs = autoSlowModeMs(auto, room, times.length, now);
    if (slowModeMs === null) return;
    this.recent.delete(room.productId);
    try {
      await this.apply(room.productId, { kind: 'slowMode', slowModeMs, auto: true });
      this.deps.logger.log('info', 'slow mode on by itself', { room: room.productId, slowModeMs });
    } catch (err) {
      // The message that tipped it is stored and delivered: its sender must not hear "failed".
      this.deps.logger.log('warn', 'auto slow mode failed', { room: room.productId, error: String(err) });
    }
  }

  /** Deletes a message: a tombstone in storage, a SYSTEM MESSAGE_DELETED in the stream. Returns the tombstone. */
  async deleteMessage(principal: Principal, productId: string, seq: number): Promise<ChatMessage> {
    const access = await this.host.access(principal, productId);
    orThrow(decide(access.relation, 'read', access.room));
    const message = await this.deps.store.moderation.message(access.room.productId, seq);
    if (!message) throw new ChatError('NOT_FOUND', `There is no message ${seq} in this room.`);
    orThrow(decideDelete(access.relation, principal.userId, message, this.deps.clock.now()));
    const result = await this.apply(access.room.productId, { kind: 'delete', seq });
    const tombstone = result.target ?? { ...message, content: '', deleted: true as const };
    this.deps.logger.log('info', 'message deleted', { room: productId, seq, user: principal.userId });
    try {
      await this.deps.onMessageDeleted?.(access.room.productId, tombstone);
    } catch (err) {
      this.deps.logger.log('warn', 'after-delete hook failed', { room: productId, seq, error: String(err) });
    }
    return tombstone;
  }

  /** Mutes a user in the room (host or service); the user alone is told. Returns when it ends. */
  async mute(principal: Principal, productId: string, body: unknown): Promise<{ userId: string; until: string }> {
    const input = parseMuteInput(body);
    const access = await this.moderator(principal, productId);
    if (input.userId === access.room.hostId) throw new ChatError('INVALID_INPUT', 'The seller cannot be muted.');
    const untilMs = this.deps.clock.now() + input.durationMs;
    await this.deps.store.moderation.setMute(access.room.productId, input.userId, untilMs);
    const until = new Date(untilMs).toISOString();
    this.deps.notifyUser?.(access.room.productId, input.userId, { kind: 'MUTED', until });
    this.deps.logger.log('info', 'user muted', { room: productId, user: principal.userId, target: input.userId });
    return { userId: input.userId, until };
  }

  /** Lifts a mute (host or service); the user alone is told. */
  async unmute(principal: Principal, productId: string, userId: string): Promise<void> {
    const access = await this.moderator(principal, productId);
    await this.deps.store.moderation.setMute(access.room.productId, userId, null);
    this.deps.notifyUser?.(access.room.productId, userId, { kind: 'UNMUTED' });
    this.deps.logger.log('info', 'user unmuted', { room: productId, user: principal.userId, target: userId });
  }

  /** Reports a message (anyone who may read the room). */
  async report(principal: Principal, productId: string, seq: number, body: unknown): Promise<MessageReport> {
    const { reason } = parseReportBody(body);
    const access = await this.host.access(principal, productId);
    orThrow(decide(access.relation, 'read', access.room));
    const message = await this.deps.store.moderation.message(access.room.productId, seq);
    if (!message || message.type === 'SYSTEM') throw new ChatError('NOT_FOUND', `There is no message ${seq} to report in this room.`);
    const report = await this.deps.store.moderation.addReport(
      access.room.productId,
      { seq, reporterId: principal.userId, reason },
      this.deps.clock.now(),
    );
    this.deps.logger.log('info', 'message reported', { room: productId, seq, user: principal.userId });
    return report;
  }

  /** The room's reports (host or service). */
  async reports(principal: Principal, productId: string): Promise<MessageReport[]> {
    const access = await this.moderator(principal, productId);
    return this.deps.store.moderation.reports(access.room.productId);
  }

  /** Sets slow mode (host or service). */
  async setSlowMode(principal: Principal, productId: string, body: unknown): Promise<Room> {
    const { slowModeMs } = parseSlowModeBody(body);
    const access = await this.moderator(principal, productId);
    return (await this.apply(access.room.productId, { kind: 'slowMode', slowModeMs, auto: false })).room;
  }

  /** Pins a NOTIFICATION under the header (host or service). */
  async pin(principal: Principal, productId: string, body: unknown): Promise<Room> {
    const { seq } = parsePinBody(body);
    const access = await this.moderator(principal, productId);
    return (await this.apply(access.room.productId, { kind: 'pin', seq })).room;
  }

  /** Takes the pinned notice down (host or service). */
  async unpin(principal: Principal, productId: string): Promise<Room> {
    const access = await this.moderator(principal, productId);
    return (await this.apply(access.room.productId, { kind: 'unpin' })).room;
  }

  private async moderator(principal: Principal, productId: string): Promise<Access> {
    const access = await this.host.access(principal, productId);
    orThrow(decideModeration(access.relation));
    return access;
  }

  private async apply(productId: string, change: ModerationChange) {
    const result = await this.deps.store.moderation.moderate(productId, change, this.deps.clock.now());
    await this.host.publish(result);
    return result;
  }
}

function key(roomId: string, userId: string): string {
  return `${roomId}\u0000${userId}`;
}
