/**
 * Every failure a client can see carries one of these codes. The set is closed: a client can `switch`
 * over it exhaustively, and a new code is a protocol change (docs/protocol.md).
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'MUTED',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'ROOM_NOT_ACTIVE',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'SLOW_CONSUMER',
  'NOT_FOUND',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status each code maps to on the REST API. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // The host or the service muted this user in this room for a while (`retryAfterMs`); a 403 with its own code.
  MUTED: 403,
  ROOM_NOT_FOUND: 404,
  NOT_FOUND: 404,
  ROOM_FULL: 409,
  ROOM_NOT_ACTIVE: 409,
  // 408: the server stopped waiting for the client to read (never a REST answer; WebSocket close 4408).
  SLOW_CONSUMER: 408,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/**
 * The code a bare HTTP status stands for, when a failure came without an error body (a proxy answered)
 * or only as a status (an EventSource, a WebSocket close code 4000 + status). Every client API is about
 * one room, so a 404 is ROOM_NOT_FOUND.
 */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 404) return 'ROOM_NOT_FOUND';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  for (const code of ERROR_CODES)
    if (HTTP_STATUS[code] === status && code !== 'ROOM_FULL' && code !== 'ROOM_NOT_ACTIVE' && code !== 'MUTED') return code;
  return 'INTERNAL';
}

/** Codes after which a room's live feed ends for this user: subscribing again would be refused again. */
export const ROOM_ENDING_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ROOM_NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN']);

/** The error object on the wire, on every transport: `{ code, message }` where `message` is for a person. */
export interface ErrorInfo {
  /** Machine-readable code. */
  code: ErrorCode;
  /** A sentence a person understands; never a stack trace. */
  message: string;
  /** For RATE_LIMITED (the send rate or slow mode) and MUTED: how long until a retry can succeed, in milliseconds. */
  retryAfterMs?: number;
}

/** The JSON body of every error response: `{ "error": { "code", "message" } }`. */
export interface ErrorBody {
  /** The error. */
  error: ErrorInfo;
}

/** True when `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The one error type of groupbuy-chat, thrown by validation, the server and the SDK alike.
 * Each transport maps it to its wire form in one place.
 */
export class ChatError extends Error {
  /** Machine-readable code. */
  readonly code: ErrorCode;
  /** For RATE_LIMITED and MUTED: milliseconds until a retry can succeed. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** The wire form, `{ code, message }` (plus `retryAfterMs` when set). */
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) info.retryAfterMs = this.retryAfterMs;
    return info;
  }

  /** Rebuilds a ChatError from a wire error object; anything unrecognisable becomes INTERNAL. */
  static fromInfo(info: unknown): ChatError {
    if (info && typeof info === 'object') {
      const { code, message, retryAfterMs } = info as Record<string, unknown>;
      if (isErrorCode(code)) {
        return new ChatError(code, typeof message === 'string' ? message : code, {
          ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
        });
      }
    }
    return new ChatError('INTERNAL', 'The server answered with an error this client does not understand.');
  }
}

/** Wraps anything thrown into a ChatError; unknown errors become INTERNAL with the original as `cause`. */
export function toChatError(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  return new ChatError('INTERNAL', 'Something went wrong on our side. Please try again.', { cause: err });
}
