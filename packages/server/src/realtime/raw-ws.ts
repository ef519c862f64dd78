import type { WebSocket } from 'ws';
import {
  ChatError,
  DESTINATIONS,
  HTTP_STATUS,
  RESTART_CLOSE_CODE,
  RESTART_CLOSE_REASON,
  WS_CONTROL_TYPES,
  assertProductId,
  isRestartNotice,
  parseSeq,
  peekClientMsgId,
  type Ack,
  type ErrorInfo,
} from '@groupbuy/protocol';
import { ConnectionSession, type SocketAdapter, type SubscriptionEvent } from './connection.js';
import type { Delivery } from './hub-types.js';
import type { RealtimeContext } from './context.js';
import { corkForTurn, deliveryJsonBytes, viewersBody, type ViewersEvent } from './wire-bytes.js';

const TEXT_FRAME = { binary: false } as const;

// Close codes 4000 + HTTP status, so a client can tell "sign in again" (4401) from "not allowed" (4403);
// on shutdown 1012 (Service Restart), so even a client that reads no frames knows to come straight back.
const closeCode = (error: ErrorInfo) => (isRestartNotice(error) ? RESTART_CLOSE_CODE : 4000 + ((HTTP_STATUS[error.code] ?? 500) % 1000));

/**
 * The seed's plain WebSocket endpoint `/chat/{productId}?token=<JWT>&sinceSeq=N[&ready=1][&viewers=1]`: one room per socket,
 * a codec over {@link ConnectionSession}. Server → client frames are Message JSON (so `JSON.parse(event.data)`
 * appends them as-is) or control objects `{ type: 'ERROR' | 'REPLAY_TRUNCATED' | 'SUBSCRIPTION_ENDED' | 'READY' | 'VIEWERS', … }`.
 */
export function handleRawWs(ws: WebSocket, url: URL, ctx: RealtimeContext): void {
  new RawWsConnection(ws, url, ctx);
}

// One object per connection with prototype methods (no closure per callback: issue 10's memory per connection).
class RawWsConnection implements SocketAdapter {
  readonly transport = 'ws';
  readonly acksCarryResults = false;
  private readonly session: ConnectionSession;
  private readonly wantsViewers: boolean;
  // Known once the start below has run; frames before it wait behind it (session.run).
  private roomId = '';

  constructor(
    private readonly ws: WebSocket,
    url: URL,
    private readonly ctx: RealtimeContext,
  ) {
    this.wantsViewers = url.searchParams.get('viewers') === '1';
    const session = (this.session = new ConnectionSession(ctx, this));
    const gone = () => session.dispose();
    ws.on('close', gone);
    ws.on('error', gone);
    // Frames that arrive before the token is verified and the room replayed wait behind this, in order.
    session.run(() => this.start(url));
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
  }

  // One UTF-8 copy of the message shared by every socket, sent as a text frame.
  deliver(_id: string, d: Delivery): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    corkForTurn(this.ws);
    this.ws.send(deliveryJsonBytes(d), TEXT_FRAME);
  }

  event(_id: string, e: SubscriptionEvent): void {
    if (e.type === 'replay-truncated')
      return this.control(WS_CONTROL_TYPES.replayTruncated, { roomId: e.roomId, sinceSeq: e.sinceSeq, lastSeq: e.lastSeq });
    // Opt-in like READY: the seed's hook appends every frame it gets as a message.
    if (e.type === 'viewers') {
      if (this.wantsViewers && this.ws.readyState === this.ws.OPEN) this.ws.send(viewersMessage(e), TEXT_FRAME);
      return;
    }
    if (e.type === 'typing') return this.control(WS_CONTROL_TYPES.typing, { roomId: e.roomId, user: e.user });
    if (e.type === 'read') return this.control(WS_CONTROL_TYPES.read, { roomId: e.roomId, seq: e.seq });
    if (e.type === 'notice') return this.control(WS_CONTROL_TYPES.notice, { roomId: e.roomId, notice: e.notice });
    // The socket's one room is gone, so is the socket.
    this.control(WS_CONTROL_TYPES.subscriptionEnded, { roomId: e.roomId, error: e.error });
    this.session.dispose();
    this.ws.close(closeCode(e.error));
  }

  close(error: ErrorInfo): void {
    this.control(WS_CONTROL_TYPES.error, { error });
    this.ws.close(closeCode(error), isRestartNotice(error) ? RESTART_CLOSE_REASON : undefined);
  }

  terminate(): void {
    this.ws.terminate();
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  private control(type: string, body: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify({ type, ...body }));
  }

  private async start(url: URL): Promise<void> {
    const { session } = this;
    const roomId = (this.roomId = assertProductId(decodeURIComponent(url.pathname.slice(DESTINATIONS.wsPrefix.length))));
    const sinceSeq = parseSeq(url.searchParams.get('sinceSeq') ?? undefined, 'sinceSeq');
    if (!(await session.authenticate(url.searchParams.get('token')))) return;
    await session.answer({ type: 'subscribe', roomId, sinceSeq }, (ack) => !ack.ok && session.end(ack.error));
    if (url.searchParams.get('ready') === '1' && !session.closed) {
      this.control(WS_CONTROL_TYPES.ready, { roomId, lastSeq: (await this.ctx.service.getRoom(roomId)).lastSeq });
    }
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const { session } = this;
    if (!session.withinSize(data.length) || !session.admit()) return;
    // Parsed once: the clientMsgId is read from it first so even a refused send can be matched.
    let body: unknown = data.toString('utf8');
    try {
      body = JSON.parse(body as string);
    } catch {
      // Left as text: the session answers with the reason.
    }
    const clientMsgId = isBinary ? undefined : peekClientMsgId(body);
    // The sender's acknowledgement is its message coming back; only a refusal is answered here.
    const reply = (ack: Ack) =>
      !ack.ok && this.control(WS_CONTROL_TYPES.error, { error: ack.error, ...(clientMsgId ? { clientMsgId } : {}) });
    // `{ "type": "TYPING" }` (issue 12): "I am typing" in the socket's room; refused ones answer like a send's.
    if (!isBinary && isTypingFrame(body)) return session.run(() => session.answer({ type: 'typing', roomId: this.roomId }, reply));
    // Built when its turn comes: the room is known once the start has run.
    if (!isBinary) return session.run(() => session.answer({ type: 'send', roomId: this.roomId, body }, reply));
    const error = new ChatError('INVALID_INPUT', 'Send text frames with JSON like {"content": "…"}.');
    session.run(() => void reply({ ok: false, error: error.toInfo() }));
  }
}

function isTypingFrame(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === WS_CONTROL_TYPES.typing;
}

// `{"type":"VIEWERS",…}` as UTF-8, once per push for every socket of the room (wire-bytes.ts).
const viewersMessages = new WeakMap<ViewersEvent['viewers'], Buffer>();

function viewersMessage(e: ViewersEvent): Buffer {
  let bytes = viewersMessages.get(e.viewers);
  if (bytes === undefined) {
    bytes = Buffer.from(`{"type":${JSON.stringify(WS_CONTROL_TYPES.viewers)},${viewersBody(e).json.slice(1)}`, 'utf8');
    viewersMessages.set(e.viewers, bytes);
  }
  return bytes;
}
