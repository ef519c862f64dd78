import { FrameImpl, Parser, type IRawFrameType, type StompHeaders } from '@stomp/stompjs';
import {
  ChatError,
  DESTINATIONS,
  RESTART_CLOSE_CODE,
  RESTART_STOMP_HEADER,
  STOMP_HEADERS,
  isRestartNotice,
  parseRoomAppDestination,
  parseRoomTypingDestination,
  parseRoomTopic,
  parseSeq,
  peekClientMsgId,
  roomTopic,
  type ErrorCode,
  type ErrorInfo,
} from '@groupbuy/protocol';
import { bearerToken } from '../auth/jwt.js';
import type { DecodedCommand } from './connection.js';
import type { Delivery } from './hub.js';
import { RepeatCache, deliveryJsonBytes, viewersBody, type ViewersEvent } from './wire-bytes.js';

// STOMP 1.2 §"Frames and Headers": commands a client may send. Anything else is a malformed frame.
const CLIENT_COMMANDS = new Set('CONNECT STOMP SEND SUBSCRIBE UNSUBSCRIBE ACK NACK BEGIN COMMIT ABORT DISCONNECT'.split(' '));

// RFC 6455 §7.4.1 close codes after an ERROR frame; anything else is 1008, a policy violation.
const CLOSE_CODES: Partial<Record<ErrorCode, number>> = { INVALID_INPUT: 1002, PAYLOAD_TOO_LARGE: 1009, UNAVAILABLE: 1001, INTERNAL: 1011 };

/** The WebSocket close code that follows the ERROR frame of a session ended by `error` (1012 on shutdown). */
export function closeCodeFor(error: ErrorInfo): number {
  if (isRestartNotice(error)) return RESTART_CLOSE_CODE;
  return CLOSE_CODES[error.code] ?? 1008;
}

/** A complete raw frame as a `FrameImpl`; throws INVALID_INPUT when its command is not one a client may send. */
export function readFrame(raw: IRawFrameType): FrameImpl {
  if (!raw.command || !CLIENT_COMMANDS.has(raw.command)) {
    throw new ChatError('INVALID_INPUT', `Malformed frame: "${(raw.command ?? '').slice(0, 32)}" is not a STOMP command.`);
  }
  // STOMP 1.2 escapes header values (\c \n \r \\) except in CONNECT/CONNECTED.
  return FrameImpl.fromRawFrame(raw, raw.command !== 'CONNECT' && raw.command !== 'STOMP');
}

/** A frame's wire text (header values escaped except in CONNECTED). */
export function writeFrame(command: string, headers: StompHeaders, body = ''): string | ArrayBuffer {
  return FrameImpl.marshall({ command, headers, body, escapeHeaderValues: command !== 'CONNECTED' });
}

/**
 * What a WebSocket message gives stompjs' Parser: its bytes, text or binary alike (ws has checked a text
 * message is UTF-8, and the parser would only encode a string back to those bytes).
 */
export function parserChunk(data: Buffer): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

// stompjs' Parser makes a TextEncoder and a TextDecoder per connection; it decodes without streaming (each
// header token whole) and, given bytes, never encodes, so one pair serves every connection.
const sharedCoders = { _encoder: new TextEncoder(), _decoder: new TextDecoder() };

/** A stompjs Parser (see its constructor) sharing one TextEncoder/TextDecoder pair with every other. */
export function newParser(onFrame: (raw: IRawFrameType) => void, onIncomingPing: () => void): Parser {
  return Object.assign(new Parser(onFrame, onIncomingPing), sharedCoders);
}

/** The CONNECTED frame for `userId`, offering `heartbeatMs` both ways. */
export function connectedFrame(heartbeatMs: number, userId: string): string | ArrayBuffer {
  return writeFrame('CONNECTED', {
    version: '1.2',
    'heart-beat': `${heartbeatMs},${heartbeatMs}`,
    server: 'groupbuy-chat/0.1',
    'user-name': userId,
  });
}

/**
 * A MESSAGE frame that is not a stored message (`x-kind` replay-truncated, subscription-ended, error), with a
 * JSON body; `n` numbers it within the connection.
 */
export function eventFrame(
  subscription: string,
  destination: string,
  kind: string,
  n: number,
  body: unknown,
  extra: Record<string, string> = {},
): string | ArrayBuffer {
  const id = `${destination === DESTINATIONS.userErrors ? 'e' : 'm'}${n}`;
  const headers = { subscription, destination, 'message-id': id, 'content-type': 'application/json', [STOMP_HEADERS.kind]: kind };
  return writeFrame('MESSAGE', { ...headers, ...extra }, JSON.stringify(body));
}

/** The `x-kind:viewers` MESSAGE frame (see {@link eventFrame}), its body serialised once per push (wire-bytes.ts). */
export function viewersFrame(subscription: string, n: number, event: ViewersEvent): string {
  const body = viewersBody(event);
  return (
    `MESSAGE\nsubscription:${escapeHeader(subscription)}\ndestination:${escapeHeader(roomTopic(event.roomId))}\n` +
    `message-id:m${n}\ncontent-type:application/json\n${STOMP_HEADERS.kind}:viewers\ncontent-length:${body.bytes}\n\n` +
    `${body.json}\u0000`
  );
}

/** The ERROR frame that ends a session: `message:<CODE>`, body `{ error }`. */
export function errorFrame(error: ErrorInfo): string | ArrayBuffer {
  const headers: StompHeaders = { message: error.code, 'content-type': 'application/json' };
  if (isRestartNotice(error)) headers[RESTART_STOMP_HEADER.name] = RESTART_STOMP_HEADER.value;
  return writeFrame('ERROR', headers, JSON.stringify({ error }));
}

// The part of a room MESSAGE frame that is the same for every subscriber (headers after `subscription`, the
// body, the NUL), encoded once per message; only the `subscription` header line differs per subscriber.
const sharedFrameTail = new WeakMap<Delivery, Buffer>();
const NUL = Buffer.from([0]);

// `MESSAGE\nsubscription:<id>\n`, escaped and encoded once per subscription id seen.
const frameHeads = new RepeatCache((id) => Buffer.from(`MESSAGE\nsubscription:${escapeHeader(id)}\n`, 'utf8'));

/** The MESSAGE frame of a stored message for one subscription, as the UTF-8 bytes of a text frame. */
export function messageFrame(subscriptionId: string, d: Delivery): Buffer {
  let tail = sharedFrameTail.get(d);
  if (tail === undefined) {
    const destination = roomTopic(d.message.roomId);
    const id = escapeHeader(`${destination}:${d.message.seq}`);
    const body = deliveryJsonBytes(d);
    const headers =
      `destination:${escapeHeader(destination)}\nmessage-id:${id}\ncontent-type:application/json\n` +
      `${STOMP_HEADERS.kind}:message\ncontent-length:${body.length}\n\n`;
    tail = Buffer.concat([Buffer.from(headers, 'utf8'), body, NUL]);
    sharedFrameTail.set(d, tail);
  }
  // The hub hands one delivery to every subscriber in a row, and clients mostly name their first subscription
  // alike (stompjs: `sub-0`): the frame last built is the next one asked for, shared, not copied per subscriber.
  if (lastFrame.delivery === d && lastFrame.subscriptionId === subscriptionId) return lastFrame.bytes;
  const head = frameHeads.get(subscriptionId);
  const bytes = Buffer.concat([head, tail], head.length + tail.length);
  lastFrame = { delivery: d, subscriptionId, bytes };
  return bytes;
}
let lastFrame: { delivery: Delivery | null; subscriptionId: string; bytes: Buffer } = {
  delivery: null,
  subscriptionId: '',
  bytes: Buffer.alloc(0),
};

// STOMP 1.2 §"Value Encoding". Most values need none of it: one test instead of four replaces.
const NEEDS_ESCAPE = /[\\\r\n:]/;
function escapeHeader(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

/** What CONNECT asks for: the token and the heart-beat the client offers (`cx`) and wants (`cy`), in ms. */
export function readConnect(h: StompHeaders): { token: string | null; cx: number; cy: number } {
  if (!(h['accept-version'] ?? '1.0').split(',').some((v) => v.trim() === '1.2')) {
    throw new ChatError('INVALID_INPUT', 'This server speaks STOMP 1.2 only.');
  }
  const [cx = 0, cy = 0] = (h['heart-beat'] ?? '0,0').split(',').map((v) => Number.parseInt(v, 10) || 0);
  return { token: bearerToken(h['Authorization'] ?? h['authorization']) ?? h['passcode'] ?? null, cx, cy };
}

/** The connection's `/user/queue/errors` subscription, which the codec keeps itself. */
export interface ErrorsQueue {
  /** Its subscription id, or null when the client has none. */
  id: string | null;
  /** True when a room subscription already uses `id`. */
  taken(id: string): boolean;
}

/**
 * A SEND, SUBSCRIBE or UNSUBSCRIBE as a session command; null when it was about the errors queue (`errors`
 * updated). Throws INVALID_INPUT for a frame the session cannot take (missing headers, unknown destination,
 * ACK/NACK/transactions).
 */
export function decodeFrame(frame: FrameImpl, errors: ErrorsQueue): DecodedCommand | null {
  const { id, destination = '' } = frame.headers;
  if (frame.command === 'SEND') {
    // "I am typing" (issue 12): an empty SEND to /app/typing/{productId}.
    const typingRoom = parseRoomTypingDestination(destination);
    if (typingRoom) return { type: 'typing', roomId: typingRoom };
    const roomId = parseRoomAppDestination(destination);
    if (!roomId) throw new ChatError('INVALID_INPUT', `SEND to ${DESTINATIONS.appPrefix}{productId}.`);
    return { type: 'send', roomId, body: frame.body };
  }
  if (frame.command === 'SUBSCRIBE') {
    if (!id || !destination) throw new ChatError('INVALID_INPUT', 'SUBSCRIBE needs "id" and "destination" headers.');
    if (id === errors.id || errors.taken(id)) throw new ChatError('INVALID_INPUT', `Subscription id "${id}" is already in use.`);
    if (destination === DESTINATIONS.userErrors) {
      errors.id = id;
      return null;
    }
    const roomId = parseRoomTopic(destination);
    if (!roomId) {
      throw new ChatError(
        'INVALID_INPUT',
        `Unknown destination "${destination.slice(0, 80)}"; subscribe to ${DESTINATIONS.topicPrefix}{productId}.`,
      );
    }
    return {
      type: 'subscribe',
      roomId,
      sinceSeq: parseSeq(frame.headers[STOMP_HEADERS.sinceSeq], STOMP_HEADERS.sinceSeq),
      subscriptionId: id,
    };
  }
  if (frame.command === 'UNSUBSCRIBE') {
    if (!id) throw new ChatError('INVALID_INPUT', 'UNSUBSCRIBE needs an "id" header.');
    if (id !== errors.id) return { type: 'unsubscribe', subscriptionId: id };
    errors.id = null;
    return null;
  }
  throw new ChatError('INVALID_INPUT', `${frame.command} is not supported here: messages need no ACK and there are no transactions.`);
}

/** The body of an errors-queue `x-kind:error` frame about `frame`: the error, and its room and clientMsgId when readable. */
export function frameErrorBody(frame: FrameImpl, error: ErrorInfo): object {
  const destination = frame.headers['destination'] ?? '';
  const roomId = parseRoomAppDestination(destination) ?? parseRoomTopic(destination);
  const clientMsgId = frame.command === 'SEND' ? peekClientMsgId(frame.body) : undefined;
  return { error, ...(roomId ? { roomId } : {}), ...(clientMsgId ? { clientMsgId } : {}) };
}
