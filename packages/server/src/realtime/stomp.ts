import { FrameImpl, Parser, type IRawFrameType, type StompHeaders } from '@stomp/stompjs';
import type { WebSocket } from 'ws';
import {
  ChatError,
  DESTINATIONS,
  STOMP_HEADERS,
  parseRoomAppDestination,
  parseRoomTopic,
  parseSeq,
  peekClientMsgId,
  roomTopic,
  toChatError,
  type Ack,
  type ErrorCode,
} from '@groupbuy/protocol';
import { bearerToken } from '../auth/jwt.js';
import { ConnectionSession, type DecodedCommand } from './connection.js';
import type { RealtimeContext } from './context.js';
import type { Delivery } from './hub.js';

// STOMP 1.2 §"Frames and Headers": commands a client may send. Anything else is a malformed frame.
const CLIENT_COMMANDS = new Set(['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT']);

// RFC 6455 §7.4.1 close codes after the ERROR frame; anything else is 1008, a policy violation.
const CLOSE_CODES: Partial<Record<ErrorCode, number>> = { INVALID_INPUT: 1002, PAYLOAD_TOO_LARGE: 1009, UNAVAILABLE: 1001, INTERNAL: 1011 };

// The part of a room MESSAGE frame that is the same for every subscriber (headers after `subscription`, the
// body, the NUL), built once per message: content-length needs the body's UTF-8 size, the costly part.
const sharedFrameTail = new WeakMap<Delivery, string>();

function frameTail(d: Delivery): string {
  let tail = sharedFrameTail.get(d);
  if (tail === undefined) {
    const destination = roomTopic(d.message.roomId);
    tail =
      `destination:${escapeHeader(destination)}\nmessage-id:${escapeHeader(`${destination}:${d.message.seq}`)}\ncontent-type:application/json\n` +
      `${STOMP_HEADERS.kind}:message\ncontent-length:${Buffer.byteLength(d.json)}\n\n${d.json}\u0000`;
    sharedFrameTail.set(d, tail);
  }
  return tail;
}

// STOMP 1.2 §"Value Encoding".
function escapeHeader(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

/**
 * STOMP 1.2 over a WebSocket: a codec over {@link ConnectionSession}, with stompjs' own `Parser` / `FrameImpl`.
 * Errors about one frame go to `/user/queue/errors` and the session stays; errors that end the session
 * (malformed frame, bad token, frame before CONNECT, oversized frame, dead heart-beat) are an ERROR frame, then close.
 */
export function handleStomp(ws: WebSocket, ctx: RealtimeContext): void {
  let errorsSubId: string | null = null;
  let pendingBytes = 0;
  let lastReceivedMs = Date.now();
  let counter = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  const stopTimers = () => timers.splice(0).forEach(clearInterval);
  const sendFrame = (command: string, headers: StompHeaders, body = '') => {
    if (ws.readyState === ws.OPEN) ws.send(FrameImpl.marshall({ command, headers, body, escapeHeaderValues: command !== 'CONNECTED' }));
  };
  const sendMessage = (subscription: string, destination: string, kind: string, body: unknown, extra: StompHeaders = {}) => {
    const id = `${destination === DESTINATIONS.userErrors ? 'e' : 'm'}${++counter}`;
    const headers = { subscription, destination, 'message-id': id, 'content-type': 'application/json', [STOMP_HEADERS.kind]: kind };
    sendFrame('MESSAGE', { ...headers, ...extra }, JSON.stringify(body));
  };
  // Without an errors subscription the frame still goes out (stompjs hands it to onUnhandledMessage).
  const toErrors = (kind: string, body: unknown, extra: StompHeaders = {}) =>
    sendMessage(errorsSubId ?? 'errors', DESTINATIONS.userErrors, kind, body, extra);

  const session = new ConnectionSession(ctx, {
    transport: 'stomp',
    acksCarryResults: false,
    deliver: (id, d) => {
      if (ws.readyState === ws.OPEN) ws.send(`MESSAGE\nsubscription:${escapeHeader(id)}\n${frameTail(d)}`);
    },
    event: (id, e) => {
      if (e.type === 'replay-truncated') sendMessage(id, roomTopic(e.roomId), e.type, { roomId: e.roomId, sinceSeq: e.sinceSeq, lastSeq: e.lastSeq });
      else toErrors(e.type, { roomId: e.roomId, error: e.error }, { 'x-subscription-id': id });
    },
    close: (error) => {
      sendFrame('ERROR', { message: error.code, 'content-type': 'application/json' }, JSON.stringify({ error }));
      stopTimers();
      ws.close(CLOSE_CODES[error.code] ?? 1008);
    },
    terminate: () => ws.terminate(),
    bufferedBytes: () => ws.bufferedAmount,
  });

  const connect = async (h: StompHeaders) => {
    if (session.principal) throw new ChatError('INVALID_INPUT', 'This session is already connected.');
    if (!(h['accept-version'] ?? '1.0').split(',').map((v) => v.trim()).includes('1.2')) throw new ChatError('INVALID_INPUT', 'This server speaks STOMP 1.2 only.');
    const principal = await session.authenticate(bearerToken(h['Authorization'] ?? h['authorization']) ?? h['passcode'] ?? null);
    if (!principal) return;
    // STOMP 1.2 §"Heart-beating": we send every max(ours, theirs-wanted) and expect theirs every
    // max(theirs-offered, ours-wanted); a peer silent for twice that is dead.
    const [cx = 0, cy = 0] = (h['heart-beat'] ?? '0,0').split(',').map((v) => Number.parseInt(v, 10) || 0);
    const hb = ctx.heartbeatMs;
    if (cy > 0 && hb > 0) timers.push(setInterval(() => ws.readyState === ws.OPEN && ws.send('\n'), Math.max(hb, cy)));
    if (cx > 0 && hb > 0) {
      const expected = Math.max(cx, hb);
      const dead = new ChatError('UNAVAILABLE', 'No heart-beat from the client: the connection is considered dead.');
      timers.push(setInterval(() => Date.now() - lastReceivedMs > expected * 2 && session.end(dead), expected));
    }
    sendFrame('CONNECTED', { version: '1.2', 'heart-beat': `${hb},${hb}`, server: 'groupbuy-chat/0.1', 'user-name': principal.userId });
  };

  // A frame as a session command; null for what the codec answers itself (the errors queue).
  const decode = (frame: FrameImpl): DecodedCommand | null => {
    const { id, destination = '' } = frame.headers;
    if (frame.command === 'SEND') {
      const roomId = parseRoomAppDestination(destination);
      if (!roomId) throw new ChatError('INVALID_INPUT', `SEND to ${DESTINATIONS.appPrefix}{productId}.`);
      return { type: 'send', roomId, body: frame.body };
    }
    if (frame.command === 'SUBSCRIBE') {
      if (!id || !destination) throw new ChatError('INVALID_INPUT', 'SUBSCRIBE needs "id" and "destination" headers.');
      if (id === errorsSubId || session.hasSubscription(id)) throw new ChatError('INVALID_INPUT', `Subscription id "${id}" is already in use.`);
      if (destination === DESTINATIONS.userErrors) {
        errorsSubId = id;
        return null;
      }
      const roomId = parseRoomTopic(destination);
      if (!roomId) throw new ChatError('INVALID_INPUT', `Unknown destination "${destination.slice(0, 80)}"; subscribe to ${DESTINATIONS.topicPrefix}{productId}.`);
      return { type: 'subscribe', roomId, sinceSeq: parseSeq(frame.headers[STOMP_HEADERS.sinceSeq], STOMP_HEADERS.sinceSeq), subscriptionId: id };
    }
    if (frame.command === 'UNSUBSCRIBE') {
      if (!id) throw new ChatError('INVALID_INPUT', 'UNSUBSCRIBE needs an "id" header.');
      if (id !== errorsSubId) return { type: 'unsubscribe', subscriptionId: id };
      errorsSubId = null;
      return null;
    }
    throw new ChatError('INVALID_INPUT', `${frame.command} is not supported here: messages need no ACK and there are no transactions.`);
  };

  const onFrame = async (frame: FrameImpl) => {
    const h = frame.headers;
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') return connect(h);
    if (!session.principal) throw new ChatError('UNAUTHENTICATED', 'Send CONNECT with a token before any other frame.');
    const receipt = h['receipt'] ? { 'receipt-id': h['receipt'] } : undefined;
    if (frame.command === 'DISCONNECT') {
      if (receipt) sendFrame('RECEIPT', receipt);
      session.dispose();
      stopTimers();
      return ws.close(1000);
    }
    const reply = (ack: Ack) => {
      if (ack.ok) {
        if (receipt) sendFrame('RECEIPT', receipt);
        return;
      }
      const roomId = parseRoomAppDestination(h['destination'] ?? '') ?? parseRoomTopic(h['destination'] ?? '');
      const clientMsgId = frame.command === 'SEND' ? peekClientMsgId(frame.body) : undefined;
      toErrors('error', { error: ack.error, ...(roomId ? { roomId } : {}), ...(clientMsgId ? { clientMsgId } : {}) }, receipt);
    };
    let command: DecodedCommand | null;
    try {
      command = decode(frame);
    } catch (err) {
      return reply({ ok: false, error: toChatError(err).toInfo() });
    }
    if (command) await session.answer(command, reply);
    else reply({ ok: true });
  };

  const parser = new Parser(
    (raw: IRawFrameType) => {
      pendingBytes = 0;
      if (session.closed) return;
      if (!raw.command || !CLIENT_COMMANDS.has(raw.command)) {
        return session.end(new ChatError('INVALID_INPUT', `Malformed frame: "${(raw.command ?? '').slice(0, 32)}" is not a STOMP command.`));
      }
      if (!session.admit()) return;
      // STOMP 1.2 escapes header values (\c \n \r \\) except in CONNECT/CONNECTED.
      const frame = FrameImpl.fromRawFrame(raw, raw.command !== 'CONNECT' && raw.command !== 'STOMP');
      session.run(() => onFrame(frame));
    },
    () => (lastReceivedMs = Date.now()),
  );
  ws.on('message', (data: Buffer, isBinary) => {
    if (session.closed) return;
    lastReceivedMs = Date.now();
    // A frame may span several WebSocket messages; bound what we buffer before a frame completes.
    if (!session.withinSize((pendingBytes += data.length))) return;
    try {
      parser.parseChunk(isBinary ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer) : data.toString('utf8'));
    } catch (err) {
      session.end(new ChatError('INVALID_INPUT', 'The STOMP frame could not be parsed.', { cause: err }));
    }
  });
  const gone = () => {
    stopTimers();
    session.dispose();
  };
  ws.on('close', gone);
  ws.on('error', gone);
}
