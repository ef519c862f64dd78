import type { ReadStore } from './reads.js';
import type { InsightsStore, JoiningUser } from '../insights/types.js';
import type { ModerationStore } from './moderation.js';
import type {
  ChatMessage,
  CloseReason,
  HistoryQuery,
  MessagePage,
  MessageType,
  Participant,
  Room,
  RoomStatus,
  SystemEvent,
  ValidCreateRoomInput,
} from '@groupbuy/protocol';

import type { AddressStore } from './addresses.js';
import type { AttachmentStore, ClaimRef } from './attachment-types.js';
export type { AttachmentRecord, AttachmentStore, ClaimRef } from './attachment-types.js';

/** A signed-in user as the store records them. */
export interface UserRef {
  /** The JWT `sub`. */
  userId: string;
  /** The JWT `name`. */
  name: string;
}

/** A message to store; the store assigns `id`, `seq` and `createdAt`. */
export interface NewMessage {
  /** CHAT or NOTIFICATION (SYSTEM messages are written by the store's own lifecycle methods). */
  type: Exclude<MessageType, 'SYSTEM'>;
  /** The author; null for a notice from the trade service. */
  sender: UserRef | null;
  /** Already normalised text. */
  content: string;
  /** Idempotency key: the same (room, sender, clientMsgId) is stored once. */
  clientMsgId?: string;
  /**
   * The room statuses in which this append is allowed (the service takes them from the room rules,
   * `statusesAllowing` in @groupbuy/protocol), checked by `appendOutcome` in the same transaction that
   * assigns the seq, so a message can never land after the room left them. Throws ROOM_NOT_ACTIVE otherwise.
   */
  allowedStatuses: readonly RoomStatus[];
  /** Attachments (issue 12): uploads this CHAT message carries; claimed and bound by attachments/store-hook.ts, the stores ignore it. */
  attachments?: readonly ClaimRef[];
}

/** What `append` did. */
export interface AppendResult {
  /** The stored message (the earlier one when `duplicate`). */
  message: ChatMessage;
  /** True when (room, sender, clientMsgId) was stored before: nothing new was written. */
  duplicate: boolean;
}

/** What a lifecycle change wrote; `messages` are the SYSTEM messages to broadcast, in seq order. */
export interface LifecycleResult {
  /** The room after the change. */
  room: Room;
  /** SYSTEM messages written by the change (empty when nothing changed). */
  messages: ChatMessage[];
}

/** What `join` did. */
export interface JoinResult extends LifecycleResult {
  /** False when the user was already a participant (nothing was written). */
  joined: boolean;
}

/** What `leave` did. */
export interface LeaveResult extends LifecycleResult {
  /** False when the user was not a participant (nothing was written). */
  left: boolean;
}

/** How to settle an ACTIVE room. */
export type SettleRequest =
  /** Close or cancel on request (host or trade service). */
  | { status: 'CLOSED' | 'CANCELLED'; reason: CloseReason }
  /** The deadline passed: CLOSED when participantCount ≥ minParticipants, else CANCELLED. */
  | { reason: 'DEADLINE' };

/**
 * Storage for rooms, participants and messages. Every rule that must hold under concurrency (the cap,
 * the gap-free seq, idempotent sends, one lifecycle transition) holds inside the store's transactions:
 * the store keeps the locking and the persistence, and asks the room rules of @groupbuy/protocol
 * (`joinOutcome`, `leaveOutcome`, `appendOutcome`, `settleOutcome`) on the row it holds locked.
 * The same contract suite (`contract.ts`) runs against every implementation. Times are epoch ms.
 */
export interface ChatStore {
  /** Creates a room; when the product id exists already, returns it unchanged with `created: false`. */
  createRoom(input: ValidCreateRoomInput, nowMs: number): Promise<{ room: Room; created: boolean }>;
  /** The room, or null. */
  getRoom(productId: string): Promise<Room | null>;
  /**
   * Adds a buyer, atomically against the cap, and writes a SYSTEM JOINED message; the join that reaches
   * maxParticipants also moves the room to CLOSED (reason FILLED) with a SYSTEM CLOSED message.
   * Throws ChatError ROOM_NOT_FOUND, ROOM_NOT_ACTIVE or ROOM_FULL. Joining twice is `joined: false`.
   * `user.invitedBy` (issue 12) goes into the JOINED event (insights/types.ts joinedEvent).
   */
  join(productId: string, user: JoiningUser, nowMs: number): Promise<JoinResult>;
  /** Removes a buyer while ACTIVE and writes a SYSTEM LEFT message. Throws ROOM_NOT_FOUND, ROOM_NOT_ACTIVE. */
  leave(productId: string, userId: string, nowMs: number): Promise<LeaveResult>;
  /** True when the user is a buyer in the room. */
  isParticipant(productId: string, userId: string): Promise<boolean>;
  /** The buyers, in join order. */
  participants(productId: string): Promise<Participant[]>;
  /** Stores a message with the room's next seq. Throws ROOM_NOT_FOUND, ROOM_NOT_ACTIVE (see allowedStatuses). */
  append(productId: string, message: NewMessage, nowMs: number): Promise<AppendResult>;
  /**
   * A page of history, ascending by seq: with `after`, the oldest `limit` messages after it; otherwise the
   * newest `limit` messages (before `before` when given). Throws ROOM_NOT_FOUND.
   */
  page(productId: string, query: HistoryQuery): Promise<MessagePage>;
  /**
   * Moves an ACTIVE room to CLOSED or CANCELLED with one SYSTEM message. Returns null (and writes nothing)
   * when the room is not ACTIVE any more. Throws ROOM_NOT_FOUND.
   */
  settle(productId: string, request: SettleRequest, nowMs: number): Promise<LifecycleResult | null>;
  /** ACTIVE rooms whose deadline is at or before `nowMs`. */
  dueRooms(nowMs: number): Promise<Room[]>;
  /** The earliest deadline of any ACTIVE room (epoch ms), or null when none is ACTIVE. */
  nextDeadline(): Promise<number | null>;
  // ── Moderation (issue 11): tombstones, slow mode, the pinned notice, mutes, reports (moderation.ts) ──
  /** Messages by seq, moderation changes with their SYSTEM messages, mutes and reports. */
  readonly moderation: ModerationStore;
  // ── Attachments (issue 12): uploaded images and the messages that carry them (attachment-types.ts) ──
  /** The uploads: records of images in the blob store, claimed by sends, bound to their messages. */
  readonly attachments: AttachmentStore;
  // ── Invites and the funnel (issue 12): insights/ ──
  /** Invite codes, first views, CHAT counts and membership changes (migration v7). */
  readonly insights: InsightsStore;
  // ── Shipping addresses (issue 11): addresses.ts; addresses-sqlite.ts, postgres/addresses.ts, addresses-memory.ts ──
  /** The buyers' private shipping addresses, apart from chat and sealed under their own keys (ADDRESS_KEYS). */
  readonly addresses: AddressStore;
  // ── Read positions (issue 12): reads.ts; sqlite-reads.ts, postgres-reads.ts, memory.ts ──
  /** Each reader's position per room and the unread count after it. */
  readonly reads: ReadStore;
  /**
   * True when appends take effect in the order they are called, before their promises settle (SQLite: each runs,
   * or joins the group commit's queue, synchronously; the in-memory store). A connection may then start its next
   * send once the last one's append was called (RoomService.post's `onOrdered`), so sends pipelined on one
   * connection share a group commit. Absent (PostgreSQL's pool may run two queries in either order): each send
   * waits for the one before it.
   */
  readonly appendsInCallOrder?: boolean;
  /** Resolves when the database answers a trivial query (readiness); rejects when it cannot be reached. */
  ping(): Promise<void>;
  /** Finishes pending writes and releases the database. */
  close(): Promise<void>;
}

/** The protocol's SYSTEM event type, re-exported so a store finds every type it writes in this module. */
export type { SystemEvent };
