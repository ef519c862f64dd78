import {
  decide,
  sendWait,
  type ChatMessage,
  type AddressList,
  type ErrorInfo,
  type MessageReport,
  type PrivateNotice,
  type Refused,
  type Room,
  type RoomRelation,
  type SendGate,
} from '@groupbuy/protocol';
import type { ShippingAddresses } from './address.js';
import type { MessageList } from './message-list.js';
import type { RoomRest } from './room-rest.js';
import type { RoomSession, RoomSessionEvents } from './types.js';

/**
 * The room after a moderation SYSTEM message (issue 11): SLOW_MODE_CHANGED sets `slowModeMs`, PINNED / UNPINNED
 * set `pinned`, and a MESSAGE_DELETED of the pinned notice takes it down; any other message leaves it as is.
 */
export function applyModeration(room: Room, message: ChatMessage): Room {
  const event = message.type === 'SYSTEM' ? message.event : undefined;
  switch (event?.type) {
    case 'SLOW_MODE_CHANGED':
      return { ...room, slowModeMs: event.slowModeMs ?? 0 };
    case 'PINNED':
      return event.pinned ? { ...room, pinned: event.pinned } : room;
    case 'UNPINNED':
      return { ...room, pinned: null };
    case 'MESSAGE_DELETED':
      return room.pinned && room.pinned.seq === event.targetSeq ? { ...room, pinned: null } : room;
    default:
      return room;
  }
}

/** The seq a MESSAGE_DELETED message erased, or null for any other message. */
export function deletedSeq(message: ChatMessage): number | null {
  return message.type === 'SYSTEM' && message.event?.type === 'MESSAGE_DELETED' ? (message.event.targetSeq ?? null) : null;
}

/** What a session's {@link Moderation} needs from it. */
export interface ModerationHost {
  /** The session's message list (tombstones are written into it). */
  readonly list: MessageList;
  /** The room's REST endpoints. */
  readonly api: RoomRest;
  /** The latest room snapshot, or null until loaded. */
  room(): Room | null;
  /** The relations the rules may see the signed-in user in (several while the buyers are not known yet). */
  relations(): readonly RoomRelation[];
  /** The signed-in user's id, once known. */
  userId(): string | undefined;
  /** Now on the server's clock, in epoch ms. */
  serverNowMs(): number;
  /** Why the room's feed ended for good, if it did. */
  endedWith(): ErrorInfo | undefined;
  /** A REST answer carried the room after the change. */
  roomChanged(room: Room | undefined): void;
  /** Emits a session event. */
  emit<K extends 'notice' | 'moderation'>(type: K, payload: RoomSessionEvents[K]): void;
}

// setTimeout's delay is a signed 32-bit number of ms: a later expiry is re-checked after this long.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One room's moderation as this user sees it (issue 11): the user's own mute and slow-mode cooldown (decided by
 * the protocol's `sendWait`, never re-derived here), the send gate, the private notices, and the moderation
 * SYSTEM messages applied to the list (the calls themselves are in moderation-calls.ts).
 */
export class Moderation {
  // When the user's mute ends on the server's clock, or null.
  private muteUntilMs: number | null = null;
  // When the user's last CHAT message was stored, on the server's clock (the cooldown counts from it).
  private lastChatAtMs: number | null = null;
  // A RATE_LIMITED refusal's end, on this device's clock (the server may know of a send this client did not see).
  private refusedUntil: number | null = null;
  private reported: RoomSessionEvents['moderation'] = { mutedUntil: null, cooldownUntil: null };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly host: ModerationHost) {}

  /** When the user's mute ends (ISO-8601, server clock), or null when they are not muted. */
  get mutedUntil(): string | null {
    const until = this.muteUntilMs;
    return until !== null && until > this.host.serverNowMs() ? new Date(until).toISOString() : null;
  }

  /** Epoch ms on this device's clock until which slow mode refuses the user's next send, or null. */
  get cooldownUntil(): number | null {
    const room = this.host.room();
    const now = Date.now();
    // Off, or the user is exempt (a send right after their last one would go).
    if (
      !room ||
      room.slowModeMs <= 0 ||
      this.wait({ muteUntilMs: null, slowModeMs: room.slowModeMs, lastChatAtMs: this.host.serverNowMs() }) === null
    ) {
      return null;
    }
    const wait = this.wait({ muteUntilMs: null, slowModeMs: room.slowModeMs, lastChatAtMs: this.lastChatAtMs });
    const fromRule = wait?.error.retryAfterMs === undefined ? null : now + wait.error.retryAfterMs;
    const refused = this.refusedUntil !== null && this.refusedUntil > now ? this.refusedUntil : null;
    if (fromRule === null) return refused;
    return refused === null ? fromRule : Math.max(fromRule, refused);
  }

  /**
   * Why a send would be refused now, when the client can tell without asking: the room rules refuse a post
   * whatever relation the user turns out to have, a mute or slow mode's cooldown runs (`sendWait`), or the
   * room's feed ended for good.
   */
  refusal(): ErrorInfo | undefined {
    const room = this.host.room();
    const decisions = room ? this.host.relations().map((relation) => decide(relation, 'post', room)) : [];
    const first = decisions[0];
    if (first && !first.ok && decisions.every((d) => !d.ok)) return first.error;
    const wait = room ? this.wait({ muteUntilMs: this.muteUntilMs, slowModeMs: room.slowModeMs, lastChatAtMs: this.lastChatAtMs }) : null;
    return wait ? { ...wait.error } : this.host.endedWith();
  }

  /** A stored message came in: a MESSAGE_DELETED (when `live`) erases its target; the user's own CHAT starts the cooldown. */
  ingested(message: ChatMessage, live: boolean): void {
    const erased = live ? deletedSeq(message) : null;
    if (erased !== null) this.host.list.tombstone(erased);
    const me = this.host.userId();
    if (message.type === 'CHAT' && me !== undefined && message.sender?.userId === me) {
      const at = Date.parse(message.createdAt);
      if (Number.isFinite(at) && (this.lastChatAtMs === null || at > this.lastChatAtMs)) this.lastChatAtMs = at;
      this.changed();
    }
  }

  /** A private notice for this user: emitted as `notice`; MUTED and UNMUTED set the mute. */
  notice(notice: PrivateNotice): void {
    if (notice.kind === 'MUTED') {
      const until = Date.parse(notice.until);
      this.muteUntilMs = Number.isFinite(until) ? until : null;
    } else if (notice.kind === 'UNMUTED') this.muteUntilMs = null;
    this.host.emit('notice', notice);
    this.changed();
  }

  /** An error was reported: a MUTED or RATE_LIMITED refusal with `retryAfterMs` says how long the user must wait. */
  refused(error: ErrorInfo): void {
    const after = error.retryAfterMs;
    if (after === undefined || after <= 0) return;
    if (error.code === 'MUTED') this.muteUntilMs = this.host.serverNowMs() + after;
    else if (error.code === 'RATE_LIMITED') this.refusedUntil = Date.now() + after;
    else return;
    this.changed();
  }

  /**
   * Something the mute or cooldown depends on may have changed (the room's slow mode, the user's relation, the
   * clock): emits `moderation` when either value differs from the last one emitted, and arms the timer that
   * clears them when they pass.
   */
  changed(): void {
    if (this.closed) return;
    const now = { mutedUntil: this.mutedUntil, cooldownUntil: this.cooldownUntil };
    clearTimeout(this.timer);
    this.timer = undefined;
    const ends = [
      now.mutedUntil === null ? null : Date.parse(now.mutedUntil) - this.host.serverNowMs(),
      now.cooldownUntil === null ? null : now.cooldownUntil - Date.now(),
    ];
    const next = Math.min(...ends.filter((ms): ms is number => ms !== null));
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.changed(), Math.min(Math.max(next, 0) + 1, MAX_TIMER_MS));
    if (now.mutedUntil === this.reported.mutedUntil && now.cooldownUntil === this.reported.cooldownUntil) return;
    this.reported = now;
    this.host.emit('moderation', { ...now });
  }

  /** The room's REST endpoints, for the moderation calls (moderation-calls.ts). */
  get api(): RoomRest {
    return this.host.api;
  }

  /** A moderation call answered the room after the change. */
  answered(room: Room | undefined): void {
    this.host.roomChanged(room);
  }

  /** The session is gone: no timer, no more events. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  // The protocol's wait for a send now, or null when it may go: only when every relation the user may
  // turn out to have must wait (the seller and the service never do).
  private wait(gate: SendGate): Refused | null {
    const now = this.host.serverNowMs();
    // The offset is measured to ±0.5 s: a message the server stored is never in its future.
    const last = gate.lastChatAtMs === null ? null : Math.min(gate.lastChatAtMs, now);
    const waits = this.host.relations().map((relation) => sendWait(relation, { ...gate, lastChatAtMs: last }, now));
    const first = waits[0];
    return first && waits.every((w) => w !== null) ? first : null;
  }
}

// The moderation calls load on first use: a chat's first paint needs none of them.
const calls = () => import('./moderation-calls.js');

/** The members of {@link RoomSession} that {@link ModeratedSession} provides. */
type ModerationMembers =
  | 'mutedUntil'
  | 'cooldownUntil'
  | 'deleteMessage'
  | 'mute'
  | 'unmute'
  | 'report'
  | 'reports'
  | 'setSlowMode'
  | 'pin'
  | 'unpin'
  | 'address'
  | 'addresses'
  | 'addressesCsv';

/**
 * The moderation and shipping-address half of the {@link RoomSession} API (issue 11), which the session class
 * extends: the state comes from the session's {@link Moderation}, the calls from moderation-calls.ts and
 * {@link ShippingAddresses}, both loaded on first use.
 */
export abstract class ModeratedSession implements Pick<RoomSession, ModerationMembers> {
  /** The room's moderation state and calls. */
  protected abstract readonly moderation: Moderation;
  /** @inheritdoc */
  abstract readonly address: ShippingAddresses;

  /** @inheritdoc */
  get mutedUntil(): string | null {
    return this.moderation.mutedUntil;
  }

  /** @inheritdoc */
  get cooldownUntil(): number | null {
    return this.moderation.cooldownUntil;
  }

  /** @inheritdoc */
  async deleteMessage(seq: number): Promise<void> {
    return (await calls()).deleteMessage(this.moderation.api, seq);
  }

  /** @inheritdoc */
  async mute(userId: string, durationMs: number): Promise<void> {
    return (await calls()).mute(this.moderation.api, userId, durationMs);
  }

  /** @inheritdoc */
  async unmute(userId: string): Promise<void> {
    return (await calls()).unmute(this.moderation.api, userId);
  }

  /** @inheritdoc */
  async report(seq: number, reason: string): Promise<void> {
    return (await calls()).report(this.moderation.api, seq, reason);
  }

  /** @inheritdoc */
  async reports(): Promise<MessageReport[]> {
    return (await calls()).reports(this.moderation.api);
  }

  /** @inheritdoc */
  async setSlowMode(slowModeMs: number): Promise<void> {
    this.moderation.answered(await (await calls()).setSlowMode(this.moderation.api, slowModeMs));
  }

  /** @inheritdoc */
  async pin(seq: number): Promise<void> {
    this.moderation.answered(await (await calls()).pin(this.moderation.api, seq));
  }

  /** @inheritdoc */
  async unpin(): Promise<void> {
    this.moderation.answered(await (await calls()).unpin(this.moderation.api));
  }

  /** @inheritdoc */
  addresses(): Promise<AddressList> {
    return this.address.list();
  }

  /** @inheritdoc */
  addressesCsv(): Promise<string> {
    return this.address.csv();
  }
}
