import {
  decide,
  type AddressList,
  type ChatMessage,
  type ErrorInfo,
  type MessageReport,
  type PrivateNotice,
  type Room,
  type RoomRelation,
} from '@groupbuy/protocol';
import type { ShippingAddresses } from './address.js';
import type { ModerationState } from './moderation-state.js';
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

/**
 * One room's moderation as this user sees it (issue 11): the send gate, the moderation SYSTEM messages applied to
 * the list, the private notices, and the user's own mute and slow-mode cooldown. The waits are kept by a
 * {@link ModerationState} loaded on first need (a MUTED / UNMUTED notice, a MUTED or RATE_LIMITED refusal, slow
 * mode on): until then nothing is known to wait for, and a chat that never meets moderation never loads it.
 */
export class Moderation {
  // When the user's last CHAT message was stored, on the server's clock (the cooldown counts from it).
  private lastChatAtMs: number | null = null;
  private state: ModerationState | undefined;
  private loading: Promise<ModerationState> | undefined;
  private closed = false;

  constructor(private readonly host: ModerationHost) {}

  /** When the user's mute ends (ISO-8601, server clock), or null when they are not muted. */
  get mutedUntil(): string | null {
    return this.state?.mutedUntil ?? null;
  }

  /** Epoch ms on this device's clock until which slow mode refuses the user's next send, or null. */
  get cooldownUntil(): number | null {
    return this.state?.cooldownUntil ?? null;
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
    return this.state?.refusal() ?? this.host.endedWith();
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
    this.host.emit('notice', notice);
    if (notice.kind !== 'PII_MASKED') this.withState((state) => state.notice(notice));
  }

  /** An error was reported: a MUTED or RATE_LIMITED refusal with `retryAfterMs` says how long the user must wait. */
  refused(error: ErrorInfo): void {
    if ((error.code === 'MUTED' || error.code === 'RATE_LIMITED') && (error.retryAfterMs ?? 0) > 0) {
      this.withState((state) => state.refused(error));
    }
  }

  /** The room (its slow mode), the user's relation or the last send changed: the waits are looked at again. */
  changed(): void {
    if (this.state) this.state.changed();
    else if ((this.host.room()?.slowModeMs ?? 0) > 0) this.withState(() => undefined);
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
    this.state?.close();
  }

  // Runs `use` on the state once it is loaded (at once when it is); a chunk that failed to load is tried again next time.
  private withState(use: (state: ModerationState) => void): void {
    this.loading ??= import('./moderation-state.js').then((m) => {
      const state = new m.ModerationState(this.host, () => this.lastChatAtMs);
      this.state = state;
      if (this.closed) state.close();
      return state;
    });
    this.loading.then(
      (state) => {
        use(state);
        state.changed();
      },
      () => (this.loading = undefined),
    );
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
