import type { FrameImpl, IRawFrameType, Parser, StompHeaders } from '@stomp/stompjs';
import type { WebSocket } from 'ws';
import {
  ChatError,
  DESTINATIONS,
  RESTART_CLOSE_REASON,
  isRestartNotice,
  roomTopic,
  toChatError,
  type Ack,
  type ErrorInfo,
} from '@groupbuy/protocol';
import { ConnectionSession, type DecodedCommand, type SocketAdapter, type SubscriptionEvent } from './connection.js';
import type { RealtimeContext } from './context.js';
import * as codec from './stomp-codec.js';
import type { Delivery } from './hub-types.js';
import { SharedBeats, type Beating } from './shared-timers.js';
import { corkForTurn } from './wire-bytes.js';

const TEXT_FRAME = { binary: false } as const;

// Every STOMP connection's heart-beats ride on shared intervals, one per period (shared-timers.ts).
const beats = new SharedBeats();

/**
 * STOMP 1.2 over a WebSocket: the socket adapter of {@link ConnectionSession}, framing with ./stomp-codec.js.
 * Errors about one frame go to `/user/queue/errors` and the session stays; errors that end the session
 * (malformed frame, bad token, frame before CONNECT, oversized frame, dead heart-beat) are an ERROR frame, then close.
 */
export function handleStomp(ws: WebSocket, ctx: RealtimeContext): void {
  new StompConnection(ws, ctx);
}

// The connection's `/user/queue/errors` subscription (codec.ErrorsQueue) as a small object.
class ErrorsSubscription implements codec.ErrorsQueue {
  id: string | null = null;
  constructor(private readonly session: ConnectionSession) {}
  taken(id: string): boolean {
    return this.session.hasSubscription(id);
  }
}

// STOMP 1.2 §"Heart-beating": the beat we send, and the check that the client's arrive.
class OutgoingBeat implements Beating {
  constructor(private readonly conn: StompConnection) {}
  beat(): void {
    this.conn.write('\n');
  }
}
class IncomingBeat implements Beating {
  constructor(
    private readonly conn: StompConnection,
    private readonly expectedMs: number,
  ) {}
  beat(nowMs: number): void {
    this.conn.checkAlive(nowMs, this.expectedMs);
  }
}

// One object per connection with prototype methods (no closure per callback: issue 10's memory per connection).
class StompConnection implements SocketAdapter {
  readonly transport = 'stomp';
  readonly acksCarryResults = false;
  private pendingBytes = 0;
  private lastReceivedMs = Date.now();
  private counter = 0;
  private readonly session: ConnectionSession;
  private readonly errors: ErrorsSubscription;
  private readonly parser: Parser;
  private out: { periodMs: number; member: OutgoingBeat } | null = null;
  private in: { periodMs: number; member: IncomingBeat } | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: RealtimeContext,
  ) {
    this.session = new ConnectionSession(ctx, this);
    this.errors = new ErrorsSubscription(this.session);
    this.parser = codec.newParser(
      (raw) => this.onRawFrame(raw),
      () => (this.lastReceivedMs = Date.now()),
    );
    ws.on('message', (data: Buffer) => this.onMessage(data));
    const gone = () => this.gone();
    ws.on('close', gone);
    ws.on('error', gone);
  }

  // Every frame of one turn (receipts of pipelined sends, fanned-out messages) leaves in one write: corkForTurn.
  write(data: string | ArrayBuffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    corkForTurn(this.ws);
    this.ws.send(data);
  }

  // A room MESSAGE frame arrives encoded (shared bytes): sent as a text frame, with no per-socket re-encode.
  deliver(id: string, d: Delivery): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    corkForTurn(this.ws);
    this.ws.send(codec.messageFrame(id, d), TEXT_FRAME);
  }

  event(id: string, event: SubscriptionEvent): void {
    // The room's viewer list goes to every subscriber alike: its body is serialised once per list.
    if (event.type === 'viewers') return this.write(codec.viewersFrame(id, ++this.counter, event));
    const { type, ...body } = event;
    if (type === 'subscription-ended') this.toErrors(type, body, { 'x-subscription-id': id });
    else this.write(codec.eventFrame(id, roomTopic(body.roomId), type, ++this.counter, body));
  }

  close(error: ErrorInfo): void {
    this.write(codec.errorFrame(error));
    this.stopBeats();
    this.ws.close(codec.closeCodeFor(error), isRestartNotice(error) ? RESTART_CLOSE_REASON : undefined);
  }

  terminate(): void {
    this.ws.terminate();
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** The client's heart-beat check: a peer silent for twice the period it promised is dead. */
  checkAlive(nowMs: number, expectedMs: number): void {
    if (nowMs - this.lastReceivedMs > expectedMs * 2) {
      this.session.end(new ChatError('UNAVAILABLE', 'No heart-beat from the client: the connection is considered dead.'));
    }
  }

  // Without an errors subscription the frame still goes out (stompjs hands it to onUnhandledMessage).
  private toErrors(kind: string, body: object, extra?: StompHeaders): void {
    this.write(codec.eventFrame(this.errors.id ?? 'errors', DESTINATIONS.userErrors, kind, ++this.counter, body, extra));
  }

  private stopBeats(): void {
    if (this.out) beats.leave(this.out.periodMs, this.out.member);
    if (this.in) beats.leave(this.in.periodMs, this.in.member);
    this.out = null;
    this.in = null;
  }

  private async connect(h: StompHeaders): Promise<void> {
    const { session } = this;
    if (session.principal) throw new ChatError('INVALID_INPUT', 'This session is already connected.');
    const { token, cx, cy } = codec.readConnect(h);
    const principal = await session.authenticate(token);
    if (!principal) return;
    // STOMP 1.2 §"Heart-beating": we send every max(ours, theirs-wanted) and expect theirs every
    // max(theirs-offered, ours-wanted); a peer silent for twice that is dead.
    const hb = this.ctx.heartbeatMs;
    if (cy > 0 && hb > 0) {
      this.out = { periodMs: Math.max(hb, cy), member: new OutgoingBeat(this) };
      beats.join(this.out.periodMs, this.out.member);
    }
    if (cx > 0 && hb > 0) {
      const expected = Math.max(cx, hb);
      this.in = { periodMs: expected, member: new IncomingBeat(this, expected) };
      beats.join(expected, this.in.member);
    }
    this.write(codec.connectedFrame(hb, principal.userId));
  }

  private reply(frame: FrameImpl, ack: Ack): void {
    const receipt = frame.headers['receipt'] ? { 'receipt-id': frame.headers['receipt'] } : undefined;
    if (!ack.ok) this.toErrors('error', codec.frameErrorBody(frame, ack.error), receipt);
    else if (receipt) this.write(codec.writeFrame('RECEIPT', receipt));
  }

  // Runs in arrival order (session.run): a SEND has its place in the room's order before the next frame is
  // read (its RECEIPT follows its commit, see ConnectionSession.answer).
  private async onFrame(frame: FrameImpl): Promise<void> {
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') return this.connect(frame.headers);
    const { session } = this;
    if (!session.principal) throw new ChatError('UNAUTHENTICATED', 'Send CONNECT with a token before any other frame.');
    if (frame.command === 'DISCONNECT') {
      // STOMP 1.2 §DISCONNECT: the receipt says every frame before it was handled, the pipelined sends' too.
      await session.settled();
      this.reply(frame, { ok: true });
      session.dispose();
      this.stopBeats();
      this.ws.close(1000);
      return;
    }
    let command: DecodedCommand | null;
    try {
      command = codec.decodeFrame(frame, this.errors);
    } catch (err) {
      this.reply(frame, { ok: false, error: toChatError(err).toInfo() });
      return;
    }
    if (command) await session.answer(command, (ack) => this.reply(frame, ack));
    else this.reply(frame, { ok: true });
  }

  private onRawFrame(raw: IRawFrameType): void {
    this.pendingBytes = 0;
    const { session } = this;
    if (session.closed) return;
    let frame: FrameImpl;
    try {
      frame = codec.readFrame(raw);
    } catch (err) {
      return session.end(toChatError(err));
    }
    if (session.admit()) session.run(() => this.onFrame(frame));
  }

  private onMessage(data: Buffer): void {
    const { session } = this;
    if (session.closed) return;
    this.lastReceivedMs = Date.now();
    // A frame may span several WebSocket messages; bound what we buffer before a frame completes.
    if (!session.withinSize((this.pendingBytes += data.length))) return;
    try {
      this.parser.parseChunk(codec.parserChunk(data));
    } catch (err) {
      session.end(new ChatError('INVALID_INPUT', 'The STOMP frame could not be parsed.', { cause: err }));
    }
  }

  private gone(): void {
    this.stopBeats();
    this.session.dispose();
  }
}
