import { FrameImpl, Parser, type IRawFrameType, type StompHeaders } from '@stomp/stompjs';
import type { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import {
  ChatError,
  DESTINATIONS,
  LIMITS,
  STOMP_HEADERS,
  parseRoomAppDestination,
  parseRoomTopic,
  parseSendBody,
  peekClientMsgId,
  parseSeq,
  toChatError,
  type ErrorInfo,
} from '@groupbuy/protocol';
import { bearerToken, type Principal } from '../auth/jwt.js';
import type { RealtimeContext } from './context.js';
import type { Delivery, HubSubscription } from './hub.js';

// STOMP 1.2 §"Frames and Headers": commands a client may send. Anything else is a malformed frame.
const CLIENT_COMMANDS = new Set(['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT']);

// The part of a room MESSAGE frame that is the same for every subscriber (headers after `subscription`,
// the body, the NUL), built once per message: content-length needs the body's UTF-8 size, which is
// the costly part of marshalling.
const sharedFrameTail = new WeakMap<Delivery, string>();

function frameTail(d: Delivery): string {
  let tail = sharedFrameTail.get(d);
  if (tail === undefined) {
    const destination = DESTINATIONS.topicPrefix + d.message.roomId;
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

interface RoomSub {
  roomId: string;
  hubSub: HubSubscription | null;
}

/**
 * One STOMP 1.2 session over a WebSocket, using stompjs' own `Parser` / `FrameImpl` as the codec.
 * Errors about one frame go to `/user/queue/errors` and the session stays; errors about the session
 * (malformed frame, bad token, frame before CONNECT, oversized frame) are an ERROR frame, then close.
 */
export class StompSession {
  private readonly parser: Parser;
  private principal: Principal | null = null;
  private readonly subs = new Map<string, RoomSub>();
  private errorsSubId: string | null = null;
  private work: Promise<void> = Promise.resolve();
  private pendingBytes = 0;
  private lastReceivedMs = Date.now();
  private heartbeatTimers: ReturnType<typeof setInterval>[] = [];
  private unregister: (() => void) | null = null;
  private closed = false;
  private messageCounter = 0;
  private readonly connectionId = randomUUID();

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: RealtimeContext,
  ) {
    this.parser = new Parser(
      (raw) => this.onRawFrame(raw),
      () => {
        this.lastReceivedMs = Date.now();
      },
    );
    ws.on('message', (data, isBinary) => this.onData(data as Buffer, isBinary));
    ws.on('close', () => this.cleanup());
    ws.on('error', () => this.cleanup());
  }

  private onData(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.lastReceivedMs = Date.now();
    // A frame may span several WebSocket messages; bound what we buffer before a frame completes.
    this.pendingBytes += data.length;
    if (this.pendingBytes > LIMITS.frameMaxBytes) {
      this.fatal(new ChatError('PAYLOAD_TOO_LARGE', `A STOMP frame can be at most ${LIMITS.frameMaxBytes} bytes.`), 1009);
      return;
    }
    try {
      this.parser.parseChunk(isBinary ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer : data.toString('utf8'));
    } catch (err) {
      this.fatal(new ChatError('INVALID_INPUT', 'The STOMP frame could not be parsed.', { cause: err }), 1002);
    }
  }

  private onRawFrame(raw: IRawFrameType): void {
    this.pendingBytes = 0;
    if (this.closed) return;
    if (!raw.command || !CLIENT_COMMANDS.has(raw.command)) {
      this.fatal(new ChatError('INVALID_INPUT', `Malformed frame: "${(raw.command ?? '').slice(0, 32)}" is not a STOMP command.`), 1002);
      return;
    }
    try {
      this.ctx.frameLimiter.take(this.connectionId);
    } catch {
      this.fatal(new ChatError('RATE_LIMITED', 'Too many frames on this connection; reconnect and slow down.'), 1008);
      return;
    }
    // STOMP 1.2 escapes header values (\c \n \r \\) except in CONNECT/CONNECTED.
    const frame = FrameImpl.fromRawFrame(raw, raw.command !== 'CONNECT' && raw.command !== 'STOMP');
    // Frames are handled one at a time, in order: a SEND must be stored before the next one is read.
    this.work = this.work.then(() => this.handle(frame)).catch((err) => this.fatal(toChatError(err), 1011));
  }

  private async handle(frame: FrameImpl): Promise<void> {
    if (this.closed) return;
    const h = frame.headers;
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') return this.onConnect(h);
    if (!this.principal) {
      return this.fatal(new ChatError('UNAUTHENTICATED', 'Send CONNECT with a token before any other frame.'), 1008);
    }
    const receipt = h['receipt'];
    try {
      switch (frame.command) {
        case 'SUBSCRIBE':
          await this.onSubscribe(h);
          break;
        case 'UNSUBSCRIBE':
          this.onUnsubscribe(h);
          break;
        case 'SEND':
          await this.onSend(h, frame.body);
          break;
        case 'DISCONNECT':
          if (receipt) this.sendFrame('RECEIPT', { 'receipt-id': receipt });
          this.close(1000);
          return;
        default:
          throw new ChatError('INVALID_INPUT', `${frame.command} is not supported here: messages need no ACK and there are no transactions.`);
      }
      if (receipt) this.sendFrame('RECEIPT', { 'receipt-id': receipt });
    } catch (err) {
      const error = toChatError(err);
      if (error.code === 'INTERNAL') this.ctx.logger.log('error', 'stomp frame failed', { user: this.principal.userId, error: String(err) });
      if (error.code === 'UNAUTHENTICATED') return this.fatal(error, 1008);
      this.frameError(error.toInfo(), receipt, this.frameContext(frame));
    }
  }

  private frameContext(frame: FrameImpl): { roomId?: string; clientMsgId?: string } {
    const dest = frame.headers['destination'] ?? '';
    const roomId = parseRoomAppDestination(dest) ?? parseRoomTopic(dest) ?? undefined;
    const clientMsgId = frame.command === 'SEND' ? peekClientMsgId(frame.body) : undefined;
    return { ...(roomId ? { roomId } : {}), ...(clientMsgId ? { clientMsgId } : {}) };
  }

  private async onConnect(h: StompHeaders): Promise<void> {
    if (this.principal) return this.fatal(new ChatError('INVALID_INPUT', 'This session is already connected.'), 1002);
    const versions = (h['accept-version'] ?? '1.0').split(',').map((v) => v.trim());
    if (!versions.includes('1.2')) {
      return this.fatal(new ChatError('INVALID_INPUT', 'This server speaks STOMP 1.2 only.'), 1002);
    }
    const token = bearerToken(h['Authorization'] ?? h['authorization']) ?? h['passcode'] ?? null;
    let principal: Principal;
    try {
      principal = await this.ctx.verifier.verify(token);
    } catch (err) {
      this.ctx.metrics.inc('groupbuy_auth_failures_total', { transport: 'stomp' });
      return this.fatal(toChatError(err), 1008);
    }
    if (this.closed) return;
    this.principal = principal;
    const [cx, cy] = (h['heart-beat'] ?? '0,0').split(',').map((v) => Number.parseInt(v, 10) || 0);
    const hb = this.ctx.heartbeatMs;
    this.startHeartbeats(cx ?? 0, cy ?? 0);
    this.unregister = this.ctx.hub.register({
      transport: 'stomp',
      principal,
      close: (error) => this.fatal(ChatError.fromInfo(error), 1008),
      terminate: () => this.ws.terminate(),
    });
    this.sendFrame('CONNECTED', {
      version: '1.2',
      'heart-beat': `${hb},${hb}`,
      server: 'groupbuy-chat/0.1',
      'user-name': principal.userId,
    });
  }

  // STOMP 1.2 §"Heart-beating": we send every max(ours, theirs-wanted) and expect theirs every
  // max(theirs-offered, ours-wanted); a peer silent for twice that is dead.
  private startHeartbeats(cx: number, cy: number): void {
    const hb = this.ctx.heartbeatMs;
    if (cy > 0 && hb > 0) {
      const t = setInterval(() => {
        if (this.ws.readyState === this.ws.OPEN) this.ws.send('\n');
      }, Math.max(hb, cy));
      this.heartbeatTimers.push(t);
    }
    if (cx > 0 && hb > 0) {
      const expected = Math.max(cx, hb);
      const t = setInterval(() => {
        if (Date.now() - this.lastReceivedMs > expected * 2) {
          this.fatal(new ChatError('UNAVAILABLE', 'No heart-beat from the client: the connection is considered dead.'), 1001);
        }
      }, expected);
      this.heartbeatTimers.push(t);
    }
  }

  private async onSubscribe(h: StompHeaders): Promise<void> {
    const principal = this.principal!;
    const id = h['id'];
    const destination = h['destination'];
    if (!id || !destination) throw new ChatError('INVALID_INPUT', 'SUBSCRIBE needs "id" and "destination" headers.');
    if (this.subs.has(id) || this.errorsSubId === id) throw new ChatError('INVALID_INPUT', `Subscription id "${id}" is already in use.`);
    if (destination === DESTINATIONS.userErrors) {
      this.errorsSubId = id;
      return;
    }
    const roomId = parseRoomTopic(destination);
    if (!roomId) throw new ChatError('INVALID_INPUT', `Unknown destination "${destination.slice(0, 80)}"; subscribe to ${DESTINATIONS.topicPrefix}{productId}.`);
    if (this.subs.size >= LIMITS.subscriptionsPerConnection) {
      throw new ChatError('INVALID_INPUT', `A connection can follow at most ${LIMITS.subscriptionsPerConnection} rooms.`);
    }
    const sinceSeq = parseSeq(h[STOMP_HEADERS.sinceSeq], STOMP_HEADERS.sinceSeq);
    const entry: RoomSub = { roomId, hubSub: null };
    this.subs.set(id, entry);
    try {
      entry.hubSub = await this.ctx.hub.subscribe(principal, roomId, sinceSeq, {
        deliver: (d) => this.deliver(id, d),
        replayTruncated: (info) => this.sendMessage(id, destination, 'replay-truncated', JSON.stringify(info)),
        ended: (error) => {
          this.subs.delete(id);
          this.sendToErrors('subscription-ended', JSON.stringify({ roomId, error }), { 'x-subscription-id': id });
        },
      });
      if (this.closed || !this.subs.has(id)) this.ctx.hub.unsubscribe(entry.hubSub);
    } catch (err) {
      this.subs.delete(id);
      throw err;
    }
  }

  private onUnsubscribe(h: StompHeaders): void {
    const id = h['id'];
    if (!id) throw new ChatError('INVALID_INPUT', 'UNSUBSCRIBE needs an "id" header.');
    if (id === this.errorsSubId) {
      this.errorsSubId = null;
      return;
    }
    const entry = this.subs.get(id);
    if (!entry) throw new ChatError('INVALID_INPUT', `There is no subscription "${id}".`);
    this.subs.delete(id);
    if (entry.hubSub) this.ctx.hub.unsubscribe(entry.hubSub);
  }

  private async onSend(h: StompHeaders, body: string): Promise<void> {
    const roomId = parseRoomAppDestination(h['destination'] ?? '');
    if (!roomId) throw new ChatError('INVALID_INPUT', `SEND to ${DESTINATIONS.appPrefix}{productId}.`);
    const send = parseSendBody(body);
    const { message, duplicate } = await this.ctx.service.post(this.principal!, roomId, send);
    // A retried send is not broadcast again; the sender still gets the stored message on its subscription.
    if (duplicate) {
      const delivery = { message, json: JSON.stringify(message) };
      for (const [id, entry] of this.subs) if (entry.roomId === roomId) this.deliver(id, delivery);
    }
  }

  private deliver(subscriptionId: string, d: Delivery): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(`MESSAGE\nsubscription:${escapeHeader(subscriptionId)}\n${frameTail(d)}`);
  }

  private sendMessage(subscription: string, destination: string, kind: string, body: string): void {
    this.messageCounter += 1;
    this.sendFrame(
      'MESSAGE',
      {
        subscription,
        destination,
        'message-id': `m${this.messageCounter}`,
        'content-type': 'application/json',
        [STOMP_HEADERS.kind]: kind,
      },
      body,
    );
  }

  private sendToErrors(kind: string, body: string, extra: StompHeaders = {}): void {
    this.messageCounter += 1;
    // Without an errors subscription the frame still goes out (stompjs hands it to onUnhandledMessage).
    this.sendFrame(
      'MESSAGE',
      {
        subscription: this.errorsSubId ?? 'errors',
        destination: DESTINATIONS.userErrors,
        'message-id': `e${this.messageCounter}`,
        'content-type': 'application/json',
        [STOMP_HEADERS.kind]: kind,
        ...extra,
      },
      body,
    );
  }

  private frameError(error: ErrorInfo, receipt: string | undefined, context: { roomId?: string; clientMsgId?: string }): void {
    this.sendToErrors('error', JSON.stringify({ error, ...context }), receipt ? { 'receipt-id': receipt } : {});
  }

  private sendFrame(command: string, headers: StompHeaders, body = ''): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(FrameImpl.marshall({ command, headers, body, escapeHeaderValues: command !== 'CONNECTED' }));
  }

  private fatal(error: ChatError, closeCode: number): void {
    if (this.closed) return;
    const info = error.toInfo();
    this.ctx.logger.log(error.code === 'INTERNAL' ? 'error' : 'info', 'stomp session ended', {
      code: error.code,
      user: this.principal?.userId ?? null,
    });
    this.sendFrame('ERROR', { message: info.code, 'content-type': 'application/json' }, JSON.stringify({ error: info }));
    this.close(closeCode);
  }

  private close(code: number): void {
    if (this.closed) return;
    this.cleanup();
    this.ws.close(code);
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.heartbeatTimers) clearInterval(t);
    for (const entry of this.subs.values()) if (entry.hubSub) this.ctx.hub.unsubscribe(entry.hubSub);
    this.subs.clear();
    this.unregister?.();
  }
}
