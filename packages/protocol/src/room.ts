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
  /** The viewers, in the order they opened the chat. */
  viewers: Viewer[];
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
