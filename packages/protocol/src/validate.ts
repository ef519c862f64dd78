import { parseAttachmentRefs, type ValidAttachmentRef } from './attachments.js';
import { ChatError } from './errors.js';
import { LIMITS, PRODUCT_ID_PATTERN } from './limits.js';
import type { CreateRoomInput } from './room.js';

// C0/C1 controls except tab and newline, plus the bidi overrides that let a message visually reorder
// the text after it ("Trojan Source", CVE-2021-42574).
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const CLIENT_MSG_ID_PATTERN = /^[A-Za-z0-9_:.-]{1,64}$/;

function invalid(message: string): ChatError {
  return new ChatError('INVALID_INPUT', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `id` is a valid product (room) id. */
export function isProductId(id: unknown): id is string {
  return typeof id === 'string' && PRODUCT_ID_PATTERN.test(id);
}

/** Returns `id` when it is a valid product id, else throws INVALID_INPUT. */
export function assertProductId(id: unknown): string {
  if (!isProductId(id)) throw invalid('A product id is 1–64 letters, digits, "_" or "-".');
  return id;
}

/**
 * Normalises chat text: CRLF → LF, control characters removed, trimmed. Throws INVALID_INPUT when the
 * result is empty or longer than {@link LIMITS.contentMaxChars}.
 */
export function normalizeContent(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid('A message needs some text in "content".');
  const text = raw.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '').trim();
  if (text.length === 0) throw invalid('A message cannot be empty.');
  if (text.length > LIMITS.contentMaxChars) {
    throw invalid(`A message can be at most ${LIMITS.contentMaxChars} characters (this one has ${text.length}).`);
  }
  return text;
}

/** Returns `raw` when it is a valid client message id (1–64 of `[A-Za-z0-9_:.-]`), undefined when absent. */
export function parseClientMsgId(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || !CLIENT_MSG_ID_PATTERN.test(raw)) {
    throw invalid('clientMsgId is 1–64 letters, digits or "_:.-".');
  }
  return raw;
}

/**
 * The `clientMsgId` of a send body (JSON text or object) as far as it can be read, even when the body is
 * invalid otherwise, so a refusal can still name the message it refuses. Never throws.
 */
export function peekClientMsgId(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const id = isRecord(value) ? value['clientMsgId'] : undefined;
  return typeof id === 'string' ? id.slice(0, LIMITS.clientMsgIdMaxChars) : undefined;
}

/** A validated chat send. */
export interface SendBody {
  /** Normalised text. */
  content: string;
  /** Idempotency key, when the client gave one. */
  clientMsgId?: string;
  /** Uploaded images (issue 12), when the client attached some. */
  attachments?: ValidAttachmentRef[];
}

/**
 * Parses a chat send from its JSON text or object: `{ content, clientMsgId? }`, or the seed's
 * `{ content, timestamp }` (the timestamp is ignored: the server's clock orders messages).
 */
export function parseSendBody(input: unknown): SendBody {
  let body = input;
  if (typeof input === 'string') {
    try {
      body = JSON.parse(input);
    } catch {
      throw invalid('The message body is not valid JSON; send {"content": "…"}.');
    }
  }
  if (!isRecord(body)) throw invalid('The message body must be a JSON object like {"content": "…"}.');
  const attachments = parseAttachmentRefs(body['attachments']);
  // An image may go without words: empty text is allowed only when something is attached.
  const rawContent = body['content'];
  const imageOnly = attachments !== undefined && (rawContent === undefined || (typeof rawContent === 'string' && rawContent.trim() === ''));
  const content = imageOnly ? '' : normalizeContent(rawContent);
  const clientMsgId = parseClientMsgId(body['clientMsgId']);
  const send: SendBody = clientMsgId === undefined ? { content } : { content, clientMsgId };
  if (attachments) send.attachments = attachments;
  return send;
}

/** Parses a non-negative integer (seq numbers, limits); undefined when absent or empty. */
export function parseSeq(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`${name} must be a whole number ≥ 0.`);
  return n;
}

/** A validated history query. */
export interface HistoryQuery {
  /** Only messages with a smaller seq. */
  before?: number;
  /** Only messages with a larger seq. */
  after?: number;
  /** Page size, 1–{@link LIMITS.historyPageMax}. */
  limit: number;
}

/** Parses `?before=&after=&limit=` (strings or numbers); defaults to the latest {@link LIMITS.historyPageDefault}. */
export function parseHistoryQuery(q: Record<string, unknown>): HistoryQuery {
  const before = parseSeq(q['before'], 'before');
  const after = parseSeq(q['after'], 'after');
  const limit = parseSeq(q['limit'], 'limit') ?? LIMITS.historyPageDefault;
  if (limit < 1 || limit > LIMITS.historyPageMax) {
    throw invalid(`limit must be between 1 and ${LIMITS.historyPageMax}.`);
  }
  const out: HistoryQuery = { limit };
  if (before !== undefined) out.before = before;
  if (after !== undefined) out.after = after;
  return out;
}

/** A validated room creation, with `minParticipants` filled in and `expiresAt` normalised to ISO. */
export type ValidCreateRoomInput = Required<Omit<CreateRoomInput, 'hostId'>> & { hostId: string | null };

/** Validates the body of `POST /api/chat/rooms` against the clock `nowMs`. */
export function parseCreateRoomInput(body: unknown, nowMs: number): ValidCreateRoomInput {
  if (!isRecord(body)) throw invalid('The room must be a JSON object.');
  const productId = assertProductId(body['productId']);
  const title = typeof body['title'] === 'string' ? body['title'].replace(CONTROL_CHARS, '').trim() : '';
  if (title.length < 1 || title.length > LIMITS.titleMaxChars) {
    throw invalid(`title is 1–${LIMITS.titleMaxChars} characters.`);
  }
  const max = body['maxParticipants'];
  if (typeof max !== 'number' || !Number.isInteger(max) || max < LIMITS.maxParticipantsMin || max > LIMITS.maxParticipantsMax) {
    throw invalid(`maxParticipants is a whole number from ${LIMITS.maxParticipantsMin} to ${LIMITS.maxParticipantsMax}.`);
  }
  const minRaw = body['minParticipants'];
  const min = minRaw === undefined || minRaw === null ? max : minRaw;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 1 || min > max) {
    throw invalid('minParticipants is a whole number from 1 to maxParticipants.');
  }
  const expiresRaw = body['expiresAt'];
  const expiresMs = typeof expiresRaw === 'string' ? Date.parse(expiresRaw) : NaN;
  if (!Number.isFinite(expiresMs)) throw invalid('expiresAt must be an ISO-8601 date-time.');
  if (expiresMs <= nowMs) throw invalid('expiresAt must be in the future.');
  const hostRaw = body['hostId'];
  let hostId: string | null = null;
  if (hostRaw !== undefined && hostRaw !== null) {
    if (typeof hostRaw !== 'string' || hostRaw.length < 1 || hostRaw.length > 128) {
      throw invalid('hostId is a user id of 1–128 characters.');
    }
    hostId = hostRaw;
  }
  return {
    productId,
    title,
    maxParticipants: max,
    minParticipants: min,
    expiresAt: new Date(expiresMs).toISOString(),
    hostId,
  };
}

/** Validates `{ content }` for a NOTIFICATION. */
export function parseNotificationBody(body: unknown): { content: string } {
  if (!isRecord(body)) throw invalid('The notice must be a JSON object like {"content": "…"}.');
  return { content: normalizeContent(body['content']) };
}
