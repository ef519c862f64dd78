import { ChatError, systemText } from '@groupbuy/protocol';
import type {
  ChatMessage,
  MessageType,
  Participant,
  Room,
  RoomSnapshot,
  RoomState,
  RoomStatus,
  SystemEvent,
  ValidCreateRoomInput,
} from '@groupbuy/protocol';
import type { ContentCipher } from './content-cipher.js';
import type { NewMessage, UserRef } from './types.js';

// The row shapes and their mapping to wire objects, shared by the SQL stores so that SQLite and
// PostgreSQL hand out byte-identical Room / ChatMessage JSON for the same data.

/** A `rooms` row: times are epoch ms, `last_seq` is the room's seq allocator. */
export interface RoomRow {
  /** The product id (primary key). */
  product_id: string;
  /** The product title. */
  title: string;
  /** Lifecycle state. */
  status: RoomStatus;
  /** The cap. */
  max_participants: number;
  /** Buyers needed by the deadline. */
  min_participants: number;
  /** Buyers now in the deal. */
  participant_count: number;
  /** The deadline, epoch ms. */
  expires_at: number;
  /** Creation time, epoch ms. */
  created_at: number;
  /** When the room left ACTIVE, epoch ms, or null. */
  closed_at: number | null;
  /** The seller's user id, or null. */
  host_id: string | null;
  /** The seq of the room's latest message (0 when none). */
  last_seq: number;
  /** Moderation (issue 11, migration v3): slow mode in ms, 0 = off. Absent on a row built before it is stored. */
  slow_mode_ms?: number;
  /** Moderation: the pinned NOTIFICATION as ChatMessage JSON, or null. */
  pinned?: string | null;
}

/** A `participants` row as the stores read it. */
export interface ParticipantRow {
  /** The buyer's user id. */
  user_id: string;
  /** Display name at the time of joining. */
  name: string;
  /** Join time, epoch ms. */
  joined_at: number;
}

/** A `messages` row: `content` as the cipher stored it, `event` and `room` as JSON text (SYSTEM only). */
export interface MessageRow {
  /** The room (product id). */
  room_id: string;
  /** The room's gap-free sequence number. */
  seq: number;
  /** A random UUID. */
  id: string;
  /** Kind of message. */
  type: MessageType;
  /** The author's user id, or null for SYSTEM messages and service notices. */
  sender_id: string | null;
  /** The author's display name, or null. */
  sender_name: string | null;
  /** The content as written through the store's ContentCipher. */
  content: string;
  /** Storage time, epoch ms. */
  created_at: number;
  /** The sender's idempotency key, or null. */
  client_msg_id: string | null;
  /** The SYSTEM event as JSON, or null. */
  event: string | null;
  /** The SYSTEM room snapshot as JSON, or null. */
  room: string | null;
  /** The id of the content key `content` was encrypted under, or null when it is stored as is. */
  key_id: string | null;
  /** Moderation (migration v3): 1 for a tombstone (content erased), else 0. */
  deleted: number;
}

/** A message about to be stored: everything but the id and the seq, which the store assigns. */
export interface MessageDraft {
  /** Kind of message. */
  type: MessageType;
  /** The author; null for SYSTEM messages and service notices. */
  sender: UserRef | null;
  /** Plain text (the store encrypts it). */
  content: string;
  /** The sender's idempotency key. */
  clientMsgId: string | undefined;
  /** SYSTEM only: what happened. */
  event: SystemEvent | undefined;
  /** SYSTEM only: the room right after the event. */
  room: RoomSnapshot | undefined;
  /** Storage time, epoch ms. */
  nowMs: number;
}

/**
 * The columns of `messages`, in the one order every statement lists them, {@link MessageValues} holds them and
 * {@link valuesOf} / {@link rowOfValues} write them (rows.test.ts checks the two against this list).
 */
export const MESSAGE_COLUMN_NAMES = [
  'room_id',
  'seq',
  'id',
  'type',
  'sender_id',
  'sender_name',
  'content',
  'created_at',
  'client_msg_id',
  'event',
  'room',
  'key_id',
  'deleted',
] as const satisfies readonly (keyof MessageRow)[];

/** {@link MESSAGE_COLUMN_NAMES} as a SELECT or INSERT column list. */
export const MESSAGE_COLUMNS = MESSAGE_COLUMN_NAMES.join(', ');

/** One positional parameter per column, for an INSERT of {@link valuesOf}: `?, ?, …` (SQLite). */
export const MESSAGE_PARAMETERS = MESSAGE_COLUMN_NAMES.map(() => '?').join(', ');

/** The same for PostgreSQL: `$1, $2, …`. */
export const MESSAGE_PARAMETERS_NUMBERED = MESSAGE_COLUMN_NAMES.map((_, i) => `$${String(i + 1)}`).join(', ');

/** A `messages` row as the values of {@link MESSAGE_COLUMNS}, in that order: better-sqlite3's raw mode reads it, both stores' inserts bind it. */
export type MessageValues = [
  room_id: string,
  seq: number,
  id: string,
  type: MessageType,
  sender_id: string | null,
  sender_name: string | null,
  content: string,
  created_at: number,
  client_msg_id: string | null,
  event: string | null,
  room: string | null,
  key_id: string | null,
  deleted: number,
];

/** `row` as the values of {@link MESSAGE_COLUMNS}, in that order: the positional parameters of both stores' inserts. */
export function valuesOf(row: MessageRow): MessageValues {
  return [
    row.room_id,
    row.seq,
    row.id,
    row.type,
    row.sender_id,
    row.sender_name,
    row.content,
    row.created_at,
    row.client_msg_id,
    row.event,
    row.room,
    row.key_id,
    row.deleted,
  ];
}

// One object literal of a fixed shape per row: V8 builds it in a few ns, where better-sqlite3's own row
// objects (a property defined by name per column) cost as much as the query itself.
/** The row of `values` (better-sqlite3's raw mode), the inverse of {@link valuesOf}. */
export function rowOfValues(v: MessageValues): MessageRow {
  return {
    room_id: v[0],
    seq: v[1],
    id: v[2],
    type: v[3],
    sender_id: v[4],
    sender_name: v[5],
    content: v[6],
    created_at: v[7],
    client_msg_id: v[8],
    event: v[9],
    room: v[10],
    key_id: v[11],
    deleted: v[12],
  };
}

const DAY_MS = 86_400_000;
// Year 10000: from there on toISOString writes an expanded ±YYYYYY year, which the fast path does not.
const FAST_ISO_END_MS = 253_402_300_800_000;
let isoDay = Number.NaN;
let isoDayPrefix = '';
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

// `new Date(ms).toISOString()`, character for character. V8's takes ~1.4 µs, ×50 rows a history page (more
// than the rest of the mapping together); this one takes ~0.2 µs: the day's "YYYY-MM-DDT" is formatted once
// (a page's messages mostly share a day) and the time of day is plain arithmetic.
function iso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= FAST_ISO_END_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    isoDay = day;
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${isoDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}

/** The row of a room just created: ACTIVE, nobody in it yet, no message yet. */
export function newRoomRow(input: ValidCreateRoomInput, nowMs: number): RoomRow {
  return {
    product_id: input.productId,
    title: input.title,
    status: 'ACTIVE',
    max_participants: input.maxParticipants,
    min_participants: input.minParticipants,
    participant_count: 0,
    expires_at: Date.parse(input.expiresAt),
    created_at: nowMs,
    closed_at: null,
    host_id: input.hostId,
    last_seq: 0,
  };
}

/** The wire form of a room row (times as ISO-8601 strings). */
export function toRoom(row: RoomRow): Room {
  return {
    productId: row.product_id,
    title: row.title,
    status: row.status,
    maxParticipants: row.max_participants,
    minParticipants: row.min_participants,
    participantCount: row.participant_count,
    expiresAt: iso(row.expires_at),
    createdAt: iso(row.created_at),
    closedAt: row.closed_at === null ? null : iso(row.closed_at),
    hostId: row.host_id,
    lastSeq: row.last_seq,
    slowModeMs: row.slow_mode_ms ?? 0,
    pinned: row.pinned === undefined || row.pinned === null ? null : (JSON.parse(row.pinned) as ChatMessage),
  };
}

/** The part of a room row the room rules decide on (`joinOutcome`, `settleOutcome` in @groupbuy/protocol). */
export function ruleState(row: RoomRow): RoomState & Pick<Room, 'minParticipants'> {
  return {
    status: row.status,
    participantCount: row.participant_count,
    maxParticipants: row.max_participants,
    minParticipants: row.min_participants,
  };
}

/** The wire form of a participant row. */
export function toParticipant(row: ParticipantRow): Participant {
  return { userId: row.user_id, name: row.name, joinedAt: iso(row.joined_at) };
}

/**
 * The wire form of a message row, with `content` already decrypted by the caller. Optional fields are
 * left out (not `undefined`) when the row has none, so the JSON has the same keys however it was read.
 */
export function toMessage(row: MessageRow, content: string): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    type: row.type,
    sender: row.sender_id === null ? null : { userId: row.sender_id, name: row.sender_name ?? '' },
    content,
    createdAt: iso(row.created_at),
  };
  if (row.client_msg_id !== null) message.clientMsgId = row.client_msg_id;
  if (row.event !== null) message.event = JSON.parse(row.event) as SystemEvent;
  if (row.room !== null) message.room = JSON.parse(row.room) as RoomSnapshot;
  if (row.deleted === 1) message.deleted = true;
  return message;
}

/** The row to insert for `draft` at `seq`, with a fresh UUID and the content encrypted by `cipher`. */
export function newMessageRow(roomId: string, seq: number, draft: MessageDraft, cipher: ContentCipher): MessageRow {
  return {
    room_id: roomId,
    seq,
    // The Web Crypto global (Node 19+ and every browser), so the in-memory store also runs in a page.
    id: globalThis.crypto.randomUUID(),
    type: draft.type,
    sender_id: draft.sender?.userId ?? null,
    sender_name: draft.sender?.name ?? null,
    content: cipher.encrypt(draft.content),
    created_at: draft.nowMs,
    client_msg_id: draft.clientMsgId ?? null,
    event: draft.event === undefined ? null : JSON.stringify(draft.event),
    room: draft.room === undefined ? null : JSON.stringify(draft.room),
    key_id: cipher.keyId,
    deleted: 0,
  };
}

/** The draft of a sent message (CHAT or NOTIFICATION) as `append` stores it. */
export function sentDraft(message: NewMessage, nowMs: number): MessageDraft {
  const { type, sender, content, clientMsgId } = message;
  return { type, sender, content, clientMsgId, event: undefined, room: undefined, nowMs };
}

/** The draft of a SYSTEM message announcing `event`, with its English fallback text. */
export function systemDraft(event: SystemEvent, room: RoomSnapshot, nowMs: number): MessageDraft {
  return {
    type: 'SYSTEM',
    sender: null,
    content: systemText(event, room),
    clientMsgId: undefined,
    event,
    room,
    nowMs,
  };
}

/** ROOM_NOT_FOUND for `productId`. */
export function notFound(productId: string): ChatError {
  return new ChatError('ROOM_NOT_FOUND', `There is no group-buy room for product "${productId}".`);
}

/** Throws INVALID_INPUT unless `limit` is a whole number ≥ 1 (a history page size). */
export function assertPageLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ChatError('INVALID_INPUT', 'limit must be a whole number of at least 1.');
  }
}
