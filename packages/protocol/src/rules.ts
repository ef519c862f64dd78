import { ChatError, type ErrorCode, type ErrorInfo } from './errors.js';
import { LIMITS } from './limits.js';
import type { Room, RoomStatus } from './room.js';

// The rules of a group-buy room, written once. Pure decisions, no I/O: the server's RoomService asks
// them before it writes, the stores ask them again inside their transactions (where the answer cannot
// go stale), the SDK asks them to refuse a send it knows would fail, and the widget asks them why its
// composer is read-only. The table of every status × relation × action is in rules.test.ts.

/** Every status a room can be in, in lifecycle order. */
export const ROOM_STATUSES: readonly RoomStatus[] = ['ACTIVE', 'CLOSED', 'CANCELLED'];

/**
 * How a principal relates to one room, strongest first: the trade service, the seller (`room.hostId`),
 * a buyer in the deal, any other signed-in user (a watcher), nobody signed in. A seller who also joined
 * their own deal counts as `host`.
 */
export const ROOM_RELATIONS = ['service', 'host', 'participant', 'signed-in', 'anonymous'] as const;

/** One of {@link ROOM_RELATIONS}. */
export type RoomRelation = (typeof ROOM_RELATIONS)[number];

/**
 * What a principal can ask to do in a room: read its chat (history, participants, viewers, a live
 * subscription), post a CHAT message, join or leave the deal, close or cancel it, post a NOTIFICATION.
 */
export const ROOM_ACTIONS = ['read', 'post', 'join', 'leave', 'close', 'cancel', 'notify'] as const;

/** One of {@link ROOM_ACTIONS}. */
export type RoomAction = (typeof ROOM_ACTIONS)[number];

/** The part of a room the rules look at; a {@link Room} and a SYSTEM message's snapshot both fit. */
export interface RoomState {
  /** Lifecycle state. */
  status: RoomStatus;
  /** Buyers now in the deal. */
  participantCount: number;
  /** The cap: the join that reaches it closes the deal. */
  maxParticipants: number;
}

/** A refusal: the protocol's error object, a code and a sentence a person understands. */
export interface Refused {
  /** False: the action is refused. */
  readonly ok: false;
  /** Why, as it travels on the wire. */
  readonly error: ErrorInfo;
}

/** The answer to "may they?": allowed, or refused with the error the server would answer. */
export type Decision = { readonly ok: true } | Refused;

/** What a join does: nothing (already in), adds the buyer (and closes the deal when it fills it), or is refused. */
export type JoinOutcome =
  | { readonly ok: true; readonly joined: false }
  | {
      readonly ok: true;
      readonly joined: true;
      /** Buyers after the join. */
      readonly participantCount: number;
      /** True when this join reaches the cap: the same change closes the deal (reason FILLED). */
      readonly fills: boolean;
    }
  | Refused;

/** What a leave does: removes the buyer, nothing (not a buyer), or is refused (the deal left ACTIVE). */
export type LeaveOutcome = { readonly ok: true; readonly left: boolean } | Refused;

/** What an append does: answers the stored copy of a retried message, stores a new one, or is refused. */
export type AppendOutcome = { readonly ok: true; readonly duplicate: boolean } | Refused;

/** The i18n key of a read-only reason, as the widget's string tables name them. */
export type ReadOnlyKey = 'signedOut' | 'readOnlyCancelled' | 'readOnlyClosed';

/** Why a user may not post in a room: the code a send would be refused with, and the key of the text to show. */
export interface ReadOnlyReason {
  /** The code the server answers a send with. */
  code: ErrorCode;
  /** The widget's i18n key for the sentence shown in place of the composer's hint. */
  key: ReadOnlyKey;
}

/** The allowed {@link Decision}. */
export const ALLOWED: Decision = { ok: true };

/** A refusal with the protocol's `code` and a sentence a person understands (every rule's, address-rules.ts too). */
export function refuse(code: ErrorCode, message: string): Refused {
  return { ok: false, error: { code, message } };
}

/** True for the service, the seller and the buyers: who keep the chat after the deal leaves ACTIVE. */
export function isMember(relation: RoomRelation): boolean {
  return relation === 'service' || relation === 'host' || relation === 'participant';
}

/**
 * The relation of `principal` (null when nobody is signed in) to `room`; `isParticipant` says whether
 * they are a buyer in it. The service outranks the seller, the seller outranks a buyer.
 */
export function roomRelation(
  principal: { readonly userId: string; readonly role: 'service' | 'user' } | null,
  room: Pick<Room, 'hostId'>,
  isParticipant: boolean,
): RoomRelation {
  if (principal === null) return 'anonymous';
  if (principal.role === 'service') return 'service';
  if (room.hostId !== null && room.hostId === principal.userId) return 'host';
  return isParticipant ? 'participant' : 'signed-in';
}

/** ROOM_NOT_ACTIVE worded for the room's `status`; `what` names the refused action ("joining"). */
export function notActive(status: RoomStatus, what: string): Refused {
  const message =
    status === 'CANCELLED'
      ? `This deal was cancelled, so ${what} is not possible any more.`
      : status === 'CLOSED'
        ? `This deal has closed, so ${what} is not possible any more.`
        : `This deal is still recruiting, so ${what} is not possible yet.`;
  return refuse('ROOM_NOT_ACTIVE', message);
}

const SIGN_IN: Readonly<Record<RoomAction, string>> = {
  read: 'Sign in to read the chat.',
  post: 'Sign in to chat.',
  join: 'Sign in to join the deal.',
  leave: 'Sign in to leave the deal.',
  close: 'Sign in as the seller to end this deal.',
  cancel: 'Sign in as the seller to end this deal.',
  notify: 'Sign in as the seller to post notices.',
};

const HOST_ONLY = {
  end: 'Only the seller or the trade service can end this deal.',
  notify: 'Only the seller or the trade service can post notices.',
} as const;

/**
 * May a principal with `relation` do `action` in `room` now? The one rule every layer asks:
 * - read: anyone signed in while ACTIVE; afterwards the buyers, the seller and the service (FORBIDDEN);
 * - post: anyone signed in while ACTIVE, members while CLOSED (FORBIDDEN), nobody while CANCELLED
 *   (ROOM_NOT_ACTIVE);
 * - join: any shopper, under {@link joinOutcome}; the service never (FORBIDDEN). A participant's join is
 *   allowed: it is a no-op;
 * - leave: while ACTIVE (ROOM_NOT_ACTIVE), a no-op for someone not in the deal;
 * - close / cancel: the seller or the service (FORBIDDEN), while ACTIVE (ROOM_NOT_ACTIVE);
 * - notify: the seller or the service (FORBIDDEN), in every status.
 * Nobody signed in may do none of these (UNAUTHENTICATED); the public snapshot and notices are not actions.
 */
export function decide(relation: RoomRelation, action: RoomAction, room: RoomState): Decision {
  if (relation === 'anonymous') return refuse('UNAUTHENTICATED', SIGN_IN[action]);
  const { status } = room;
  switch (action) {
    case 'read':
      if (status === 'ACTIVE' || isMember(relation)) return ALLOWED;
      return refuse(
        'FORBIDDEN',
        status === 'CLOSED'
          ? 'This deal has closed; only its buyers and the seller can see the chat now.'
          : 'This deal was cancelled; only its buyers and the seller can see the chat.',
      );
    case 'post':
      if (status === 'CANCELLED') return refuse('ROOM_NOT_ACTIVE', 'This deal was cancelled; the chat is read-only.');
      if (status === 'CLOSED' && !isMember(relation)) {
        return refuse('FORBIDDEN', 'This deal has closed; only its buyers and the seller can chat now.');
      }
      return ALLOWED;
    case 'join': {
      if (relation === 'service') return refuse('FORBIDDEN', 'The trade service cannot join a deal.');
      const outcome = joinOutcome(room, relation === 'participant');
      return outcome.ok ? ALLOWED : outcome;
    }
    case 'leave':
      return status === 'ACTIVE' ? ALLOWED : notActive(status, 'leaving');
    case 'close':
    case 'cancel':
      if (relation !== 'service' && relation !== 'host') return refuse('FORBIDDEN', HOST_ONLY.end);
      return status === 'ACTIVE' ? ALLOWED : refuse('ROOM_NOT_ACTIVE', `This deal is already ${status.toLowerCase()}.`);
    case 'notify':
      return relation === 'service' || relation === 'host' ? ALLOWED : refuse('FORBIDDEN', HOST_ONLY.notify);
  }
}

/**
 * The statuses in which `relation` may `post` or `notify`: what the server hands the store as an
 * append's `allowedStatuses`, so the store re-checks this same rule under its lock.
 */
export function statusesAllowing(relation: RoomRelation, action: 'post' | 'notify'): readonly RoomStatus[] {
  // Posting and notices depend on the status alone, so any counts do.
  return ROOM_STATUSES.filter((status) => decide(relation, action, { status, participantCount: 0, maxParticipants: 1 }).ok);
}

/**
 * The outcome of a join in `room` by a user who is (`alreadyIn`) or is not a buyer yet. Already in is
 * checked first, so a retried join that filled (and so closed) the room is a no-op, not an error; then
 * the cap (ROOM_FULL), so a join that lost the race for the last seat hears that the deal is full; then
 * the status (ROOM_NOT_ACTIVE). The join that reaches the cap closes the deal in the same change.
 */
export function joinOutcome(room: RoomState, alreadyIn: boolean): JoinOutcome {
  if (alreadyIn) return { ok: true, joined: false };
  if (room.participantCount >= room.maxParticipants) {
    return refuse('ROOM_FULL', `This deal is full (${room.maxParticipants} buyers).`);
  }
  if (room.status !== 'ACTIVE') return notActive(room.status, 'joining');
  const participantCount = room.participantCount + 1;
  return { ok: true, joined: true, participantCount, fills: participantCount >= room.maxParticipants };
}

/** The outcome of a leave: only while ACTIVE (checked first), a no-op for someone who is not a buyer. */
export function leaveOutcome(status: RoomStatus, isParticipant: boolean): LeaveOutcome {
  if (status !== 'ACTIVE') return notActive(status, 'leaving');
  return { ok: true, left: isParticipant };
}

/** The deadline's outcome: CLOSED when at least `minParticipants` buyers joined, else CANCELLED. */
export function deadlineOutcome(room: Pick<Room, 'participantCount' | 'minParticipants'>): 'CLOSED' | 'CANCELLED' {
  return room.participantCount >= room.minParticipants ? 'CLOSED' : 'CANCELLED';
}

/**
 * The status a settle moves `room` to: the requested one (close or cancel by the host), or the
 * {@link deadlineOutcome}; null when the room is not ACTIVE any more (someone settled it first).
 */
export function settleOutcome(
  room: Pick<Room, 'status' | 'participantCount' | 'minParticipants'>,
  requested: 'CLOSED' | 'CANCELLED' | 'DEADLINE',
): 'CLOSED' | 'CANCELLED' | null {
  if (room.status !== 'ACTIVE') return null;
  return requested === 'DEADLINE' ? deadlineOutcome(room) : requested;
}

/**
 * The outcome of an append in a room in `status`. A retry of a stored message (`duplicate`) is answered
 * with its stored copy before the status is looked at, so a message stored just before the room closed
 * is not refused on its retry; otherwise the status must be one of `allowedStatuses` (ROOM_NOT_ACTIVE).
 */
export function appendOutcome(status: RoomStatus, allowedStatuses: readonly RoomStatus[], duplicate: boolean): AppendOutcome {
  if (duplicate) return { ok: true, duplicate: true };
  if (!allowedStatuses.includes(status)) return notActive(status, 'posting here');
  return { ok: true, duplicate: false };
}

/**
 * Why `relation` may not post in a room in `status`, or null when they may: the code a send would be
 * refused with and the key of the sentence the widget shows instead of the composer's hint.
 */
export function readOnlyReason(relation: RoomRelation, status: RoomStatus): ReadOnlyReason | null {
  const decision = decide(relation, 'post', { status, participantCount: 0, maxParticipants: 1 });
  if (decision.ok) return null;
  const { code } = decision.error;
  const key: ReadOnlyKey = code === 'UNAUTHENTICATED' ? 'signedOut' : status === 'CANCELLED' ? 'readOnlyCancelled' : 'readOnlyClosed';
  return { code, key };
}

/** The allowed value of an outcome, or throws its refusal as a {@link ChatError}. */
export function orThrow<T extends { readonly ok: true }>(outcome: T | Refused): T {
  if (!outcome.ok) throw new ChatError(outcome.error.code, outcome.error.message);
  return outcome;
}

// ── Moderation (issue 11): deleting, muting, pinning, slow mode, reports ──

/** The seller and the service moderate: delete anyone's message, mute, pin, set slow mode, read reports. */
export function decideModeration(relation: RoomRelation): Decision {
  if (relation === 'anonymous') return refuse('UNAUTHENTICATED', 'Sign in to moderate this chat.');
  return relation === 'service' || relation === 'host' ? ALLOWED : refuse('FORBIDDEN', 'Only the seller can moderate this chat.');
}

/**
 * Whether `userId` (relating to the room as `relation`) may delete `message` at `nowMs`: a moderator always
 * (see {@link decideModeration}); the sender their own CHAT message within `LIMITS.ownDeleteWindowMs`.
 */
export function decideDelete(
  relation: RoomRelation,
  userId: string,
  message: { readonly type: string; readonly sender: { readonly userId: string } | null; readonly createdAt: string },
  nowMs: number,
): Decision {
  const moderation = decideModeration(relation);
  if (moderation.ok || relation === 'anonymous') return moderation;
  if (message.type !== 'CHAT' || message.sender?.userId !== userId) {
    return refuse('FORBIDDEN', 'You can delete only your own messages.');
  }
  if (nowMs - Date.parse(message.createdAt) > LIMITS.ownDeleteWindowMs) {
    return refuse('FORBIDDEN', `You can delete your message only within ${LIMITS.ownDeleteWindowMs / 60_000} minutes of sending it.`);
  }
  return ALLOWED;
}

/** What the send check looks at beyond the room rules: the sender's mute and the room's slow mode. */
export interface SendGate {
  /** When the sender's mute ends (epoch ms), or null. */
  muteUntilMs: number | null;
  /** The room's slow mode in ms (0 = off). */
  slowModeMs: number;
  /** When the sender's last CHAT message in the room was accepted (epoch ms), or null. */
  lastChatAtMs: number | null;
}

/**
 * Why a CHAT send by `relation` must wait at `nowMs`, or null when it may go: MUTED while a mute runs, then
 * RATE_LIMITED while slow mode's cooldown runs; both with `retryAfterMs`. The seller and the service are exempt.
 */
export function sendWait(relation: RoomRelation, gate: SendGate, nowMs: number): Refused | null {
  if (relation === 'service' || relation === 'host') return null;
  if (gate.muteUntilMs !== null && gate.muteUntilMs > nowMs) {
    const retryAfterMs = gate.muteUntilMs - nowMs;
    return {
      ok: false,
      error: {
        code: 'MUTED',
        message: `The seller muted you in this chat until ${new Date(gate.muteUntilMs).toISOString()}.`,
        retryAfterMs,
      },
    };
  }
  if (gate.slowModeMs > 0 && gate.lastChatAtMs !== null && nowMs - gate.lastChatAtMs < gate.slowModeMs) {
    const retryAfterMs = gate.slowModeMs - (nowMs - gate.lastChatAtMs);
    return {
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: `Slow mode is on: wait ${Math.ceil(retryAfterMs / 1000)} s before your next message.`,
        retryAfterMs,
      },
    };
  }
  return null;
}

/** Automatic slow mode near a busy deadline (server config `SLOW_MODE_AUTO` = `windowMs/perMinute/slowModeMs`). */
export interface AutoSlowMode {
  /** How long before the deadline it may turn on, in ms. */
  windowMs: number;
  /** It turns on when more than this many CHAT messages arrived in the last minute. */
  perMinute: number;
  /** The slow mode it sets, in ms. */
  slowModeMs: number;
}

/**
 * The slow mode to turn on by itself, or null: only in an ACTIVE room inside the final `windowMs` before its
 * deadline, when more than `perMinute` CHAT messages came in the last minute and slow mode is below the setting.
 */
export function autoSlowModeMs(
  auto: AutoSlowMode,
  room: Pick<Room, 'status' | 'expiresAt' | 'slowModeMs'>,
  chatsLastMinute: number,
  nowMs: number,
): number | null {
  if (room.status !== 'ACTIVE' || room.slowModeMs >= auto.slowModeMs) return null;
  const untilDeadline = Date.parse(room.expiresAt) - nowMs;
  if (untilDeadline < 0 || untilDeadline > auto.windowMs) return null;
  return chatsLastMinute > auto.perMinute ? auto.slowModeMs : null;
}
