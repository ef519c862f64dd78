import type { RoomSnapshot } from './room.js';

/** Kinds of message in a room's stream. */
export const MessageType = {
  /** Written by a person. */
  CHAT: 'CHAT',
  /** Written by the server about the room: joins, leaves, lifecycle changes. Carries `event` and `room`. */
  SYSTEM: 'SYSTEM',
  /** A notice from the seller or the trade service. */
  NOTIFICATION: 'NOTIFICATION',
} as const;

/** One of {@link MessageType}. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** What a SYSTEM message announces. */
export const SystemEventType = {
  /** A buyer joined the deal. */
  JOINED: 'JOINED',
  /** A buyer left the deal. */
  LEFT: 'LEFT',
  /** The deal closed; see `reason`. */
  CLOSED: 'CLOSED',
  /** The deal was cancelled; see `reason`. */
  CANCELLED: 'CANCELLED',
} as const;

/** One of {@link SystemEventType}. */
export type SystemEventType = (typeof SystemEventType)[keyof typeof SystemEventType];

/** Why a room left ACTIVE. */
export const CloseReason = {
  /** The join that reached the cap. */
  FILLED: 'FILLED',
  /** The deadline passed (CLOSED with enough buyers, else CANCELLED). */
  DEADLINE: 'DEADLINE',
  /** The host (seller) or the trade service asked for it. */
  HOST: 'HOST',
} as const;

/** One of {@link CloseReason}. */
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** The `event` of a SYSTEM message. */
export interface SystemEvent {
  /** What happened. */
  type: SystemEventType;
  /** The user it happened to (JOINED / LEFT), if any. */
  userId?: string;
  /** That user's display name. */
  name?: string;
  /** For CLOSED / CANCELLED. */
  reason?: CloseReason;
}

/** Who wrote a message. */
export interface Sender {
  /** User id (the JWT `sub`). */
  userId: string;
  /** Display name (the JWT `name`). */
  name: string;
}

/** A stored message, as every transport delivers it. */
export interface ChatMessage {
  /** Globally unique id assigned by the server. */
  id: string;
  /** The room (= product id). */
  roomId: string;
  /** The room's gap-free sequence number: 1, 2, 3 … in the order the server stored them. */
  seq: number;
  /** Kind of message. */
  type: MessageType;
  /** The author; null for SYSTEM messages and service notifications. */
  sender: Sender | null;
  /** Plain text (never HTML: the renderer escapes it). */
  content: string;
  /** When it was stored (ISO-8601). */
  createdAt: string;
  /** The sender's idempotency key, echoed so the sender can match its optimistic copy. */
  clientMsgId?: string;
  /** SYSTEM only: what happened. */
  event?: SystemEvent;
  /** SYSTEM only: the room's state right after the event. */
  room?: RoomSnapshot;
}

/** Response of `GET /api/chat/rooms/{productId}/messages`. */
export interface MessagePage {
  /** Ascending by seq. */
  messages: ChatMessage[];
  /** True when older (for `before`/default) or newer (for `after`) messages exist beyond this page. */
  hasMore: boolean;
}
