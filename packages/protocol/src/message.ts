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
  /** A message was deleted (by its sender, the host or the service); `targetSeq` names it. */
  MESSAGE_DELETED: 'MESSAGE_DELETED',
  /** Slow mode changed; `slowModeMs` is the new value (0 = off), `auto` when the server turned it on by itself. */
  SLOW_MODE_CHANGED: 'SLOW_MODE_CHANGED',
  /** A NOTIFICATION was pinned (`targetSeq`, `pinned`). */
  PINNED: 'PINNED',
  /** The pinned notice was taken down. */
  UNPINNED: 'UNPINNED',
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
  /** For JOINED through an invite link: who invited. */
  invitedBy?: Sender;
  /** For MESSAGE_DELETED and PINNED: the seq of the message concerned. */
  targetSeq?: number;
  /** For SLOW_MODE_CHANGED: the new value in ms (0 = off). */
  slowModeMs?: number;
  /** For SLOW_MODE_CHANGED: true when the server turned it on by itself near a busy deadline. */
  auto?: boolean;
  /** For PINNED: the pinned NOTIFICATION. */
  pinned?: ChatMessage;
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
  /**
   * A tombstone: the message was deleted, its content erased from storage (`content` is ''); seq, sender
   * and time are kept so the stream has no hole.
   */
  deleted?: true;
  /** CHAT only: up to `LIMITS.attachmentsPerMessage` uploaded images. */
  attachments?: Attachment[];
}

/**
 * An uploaded image a CHAT message refers to. The URLs are signed and expire (`?exp=…&sig=…`): an `<img>`
 * works across origins without a token; a reader whose URL expired gets fresh ones with the history page.
 */
export interface Attachment {
  /** The upload's id (from `POST /api/chat/rooms/{productId}/attachments`). */
  id: string;
  /** Pixel width of the full image (EXIF orientation applied). */
  width: number;
  /** Pixel height of the full image. */
  height: number;
  /** A preview at most 512 px on its longer side. */
  previewUrl: string;
  /** The full image (EXIF stripped). */
  url: string;
  /** Alt text, 0–200 characters (the widget defaults it to the file name). */
  alt: string;
}

/** Response of `GET /api/chat/rooms/{productId}/messages`. */
export interface MessagePage {
  /** Ascending by seq. */
  messages: ChatMessage[];
  /** True when older (for `before`/default) or newer (for `after`) messages exist beyond this page. */
  hasMore: boolean;
}
