import type { ChatMessage, MessagePage } from './message.js';

/** The three states of a group-buy room. */
export const RoomStatus = {
  /** Recruiting: anyone signed in may read and chat; buyers may join or leave. */
  ACTIVE: 'ACTIVE',
  /** The deal is done (filled, or the deadline passed with enough buyers): buyers and the host keep chatting. */
  CLOSED: 'CLOSED',
  /** The deal fell through or was called off: read-only for buyers and the host. */
  CANCELLED: 'CANCELLED',
} as const;

/** One of {@link RoomStatus}. */
export type RoomStatus = (typeof RoomStatus)[keyof typeof RoomStatus];

/** A group-buy room as the REST API and SDK see it. Times are ISO-8601 strings in UTC. */
export interface Room {
  /** The product's id; also the room's id. */
  productId: string;
  /** The product title shown in the chat header. */
  title: string;
  /** Lifecycle state. */
  status: RoomStatus;
  /** The cap: the join that reaches it closes the deal. */
  maxParticipants: number;
  /** Buyers needed by the deadline for the deal to close instead of being cancelled. */
  minParticipants: number;
  /** Buyers now in the deal. */
  participantCount: number;
  /** The deadline. */
  expiresAt: string;
  /** When the room was created. */
  createdAt: string;
  /** When the room left ACTIVE, or null while ACTIVE. */
  closedAt: string | null;
  /** The seller's user id, or null when the trade service gave none. */
  hostId: string | null;
  /** The seq of the room's latest message (0 when it has none). */
  lastSeq: number;
  /**
   * Slow mode: the least time between two CHAT messages of one buyer or watcher, in ms (0 = off). Set by the
   * host or the service, or turned on by itself near a busy deadline; the host and the service are exempt.
   */
  slowModeMs: number;
  /** The pinned NOTIFICATION shown under the header, or null. */
  pinned: ChatMessage | null;
  /**
   * Messages after the caller's read position (only in answers to a signed-in caller: `GET` room, the
   * subscribe acknowledgement). Absent for signed-out readers and inside SYSTEM snapshots.
   */
  unreadCount?: number;
  /**
   * Until when the caller is muted in this room (ISO-8601), while a mute lasts; in the same answers as
   * `unreadCount`, so a chat opened after the mute's notice still shows why its composer is closed.
   */
  mutedUntil?: string;
}

/** The slice of a room that travels inside SYSTEM messages, so state changes are ordered with chat. */
export interface RoomSnapshot {
  /** Lifecycle state after the event. */
  status: RoomStatus;
  /** Buyers after the event. */
  participantCount: number;
  /** The cap. */
  maxParticipants: number;
}

/** A buyer in a deal. */
export interface Participant {
  /** The buyer's user id. */
  userId: string;
  /** Display name at the time of joining. */
  name: string;
  /** When the buyer joined (ISO-8601). */
  joinedAt: string;
}

/** Someone with the room's chat open right now (buyer or watcher). */
export interface Viewer {
  /** User id. */
  userId: string;
  /** Display name. */
  name: string;
}

/** Response of `GET /api/chat/rooms/{productId}/viewers`: who has the chat open now, each user once. */
export interface ViewerList {
  /** How many viewers there are (`viewers.length`: this list is whole, unlike the pushed one). */
  count: number;
  /** The viewers, in the order they opened the chat. */
  viewers: Viewer[];
}

/**
 * Response of `GET /api/chat/rooms/{productId}/view` (a reader): what a chat needs to open, in one request
 * instead of three — the room as the caller sees it (with `unreadCount`, and `mutedUntil` while muted), the
 * latest page of history (`?limit=`, default 50) and the buyers. One request is one CORS preflight and one
 * round trip for a widget on a shop's origin, where the three reads were three of each.
 */
export interface RoomView {
  /** The room, as `GET /rooms/{id}` answers the caller. */
  room: Room;
  /** The latest page, as `GET /rooms/{id}/messages?limit=` answers it. */
  history: MessagePage;
  /** The buyers, as `GET /rooms/{id}/participants` lists them. */
  participants: Participant[];
}

/** Body of `POST /api/chat/rooms`. */
export interface CreateRoomInput {
  /** 1–64 characters of `[A-Za-z0-9_-]`. */
  productId: string;
  /** 1–200 characters. */
  title: string;
  /** 2–10000. */
  maxParticipants: number;
  /** 1–maxParticipants. @default maxParticipants */
  minParticipants?: number;
  /** ISO-8601, in the future. */
  expiresAt: string;
  /** The seller's user id. */
  hostId?: string | null;
}

/** Body of `PUT /api/chat/rooms/{productId}/participants/me/address`: a buyer's shipping address. */
export interface ShippingAddressInput {
  /** Who receives the parcel, 1–50 characters. */
  recipient: string;
  /** A Korean mobile or landline number (`010-1234-5678`, `02-123-4567`, with or without dashes, or +82). */
  phone: string;
  /** The 5-digit Korean postal code (우편번호). */
  postalCode: string;
  /** Street address, 1–200 characters. */
  line1: string;
  /** Unit / detail, up to 200 characters. */
  line2?: string;
  /** A note for the courier, up to 200 characters. */
  memo?: string;
}

/** A buyer's stored shipping address, as its owner reads it back. */
export interface ShippingAddress extends ShippingAddressInput {
  /** When it was last saved (ISO-8601). */
  updatedAt: string;
}

/** One row of `GET /api/chat/rooms/{productId}/addresses` (host and service only). */
export interface RoomAddress extends ShippingAddress {
  /** The buyer's user id. */
  userId: string;
  /** The buyer's display name in the deal. */
  name: string;
}

/** Response of `GET /api/chat/rooms/{productId}/addresses`. */
export interface AddressList {
  /** The buyers' addresses, in join order. */
  addresses: RoomAddress[];
}

/** Body of `POST /api/chat/rooms/{productId}/mutes`. */
export interface MuteInput {
  /** Who to mute. */
  userId: string;
  /** For how long, in ms (1 s – 7 days). */
  durationMs: number;
}

/** A report of a message, as the host lists them (`GET /api/chat/rooms/{productId}/reports`). */
export interface MessageReport {
  /** The reported message's seq. */
  seq: number;
  /** Who reported it. */
  reporterId: string;
  /** Why, 1–500 characters. */
  reason: string;
  /** When (ISO-8601). */
  createdAt: string;
}

/** Response of `GET /api/chat/rooms/{productId}/stats` (host and service): the deal's funnel. */
export interface RoomStats {
  /** Distinct signed-in users who opened the room's chat. */
  uniqueViewers: number;
  /** Distinct users who posted a CHAT message. */
  chatters: number;
  /** Joins (a user who joined, left and joined again counts twice). */
  joiners: number;
  /** Leaves. */
  leavers: number;
  /** CHAT messages per minute over the room's life so far. */
  messagesPerMinute: number;
  /** Median time from a buyer's first view to their join, in ms, or null before any join. */
  medianViewToJoinMs: number | null;
  /** Time from creation to the join that filled the deal, in ms, or null when it has not filled. */
  timeToFillMs: number | null;
  /** Top inviters by joins that came through their invite link, most first. */
  inviters: { userId: string; name: string; joins: number }[];
  /** Participants over time: one point per change, oldest first (for the host's sparkline). */
  participantsOverTime: { at: string; count: number }[];
}

/** Response of `POST /api/chat/rooms/{productId}/invites`: the caller's invite link code. */
export interface Invite {
  /** An opaque code; maps to the inviter on the server (no user id in the link). */
  code: string;
  /** The query parameter a shop appends to the product page URL: `gb_ref=<code>`. */
  param: string;
}
