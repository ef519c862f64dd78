import type { FrameImpl, StompHeaders } from '@stomp/stompjs';
import type { WebSocket } from 'ws';
import { ChatError, DESTINATIONS, RESTART_CLOSE_REASON, isRestartNotice, roomTopic, toChatError, type Ack } from '@groupbuy/protocol';
import { ConnectionSession, type DecodedCommand } from './connection.js';
import type { RealtimeContext } from './context.js';
import * as codec from './stomp-codec.js';
import { corkForTurn } from './wire-bytes.js';

const TEXT_FRAME = { binary: false } as const;

/**
 * STOMP 1.2 over a WebSocket: the socket adapter of {@link ConnectionSession}, framing with ./stomp-codec.js.
 * Errors about one frame go to `/user/queue/errors` and the session stays; errors that end the session
 * (malformed frame, bad token, frame before CONNECT, oversized frame, dead heart-beat) are an ERROR frame, then close.
 */
export function handleStomp(ws: WebSocket, ctx: RealtimeContext): void {
  let pendingBytes = 0;
  let lastReceivedMs = Date.now();
  let counter = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  const stopTimers = () => timers.splice(0).forEach((t) => clearInterval(t));
  // Every frame of one turn (receipts of pipelined sends, fanned-out messages) leaves in one write: corkForTurn.
  const write = (data: string | ArrayBuffer) => {
    if (ws.readyState !== ws.OPEN) return;
    corkForTurn(ws);
    ws.send(data);
  };
  // A room MESSAGE frame arrives encoded (shared bytes): sent as a text frame, with no per-socket re-encode.
  const writeText = (bytes: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    corkForTurn(ws);
    ws.send(bytes, TEXT_FRAME);
  };
  // Without an errors subscription the frame still goes out (stompjs hands it to onUnhandledMessage).
  const toErrors = (kind: string, body: object, extra?: StompHeaders) =>
    write(codec.eventFrame(errors.id ?? 'errors', DESTINATIONS.userErrors, kind, ++counter, body, extra));

  const session = new ConnectionSession(ctx, {
    transport: 'stomp',
    acksCarryResults: false,
    deliver: (id, d) => writeText(codec.messageFrame(id, d)),
    event: (id, event) => {
      // The room's viewer list goes to every subscriber alike: its body is serialised once per list.
      if (event.type === 'viewers') return write(codec.viewersFrame(id, ++counter, event));
      const { type, ...body } = event;
      if (type === 'subscription-ended') toErrors(type, body, { 'x-subscription-id': id });
      else write(codec.eventFrame(id, roomTopic(body.roomId), type, ++counter, body));
    },
    close: (error) => {
      write(codec.errorFrame(error));
      stopTimers();
      ws.close(codec.closeCodeFor(error), isRestartNotice(error) ? RESTART_CLOSE_REASON : undefined);
    },
    terminate: () => ws.terminate(),
    bufferedBytes: () => ws.bufferedAmount,
  });
  const errors: codec.ErrorsQueue = { id: null, taken: (id) => session.hasSubscription(id) };

  const connect = async (h: StompHeaders) => {
    if (session.principal) throw new ChatError('INVALID_INPUT', 'This session is already connected.');
    const { token, cx, cy } = codec.readConnect(h);
    const principal = await session.authenticate(token);
    if (!principal) return;
    // STOMP 1.2 §"Heart-beating": we send every max(ours, theirs-wanted) and expect theirs every
    // max(theirs-offered, ours-wanted); a peer silent for twice that is dead.
    const hb = ctx.heartbeatMs;
    if (cy > 0 && hb > 0) timers.push(setInterval(() => write('\n'), Math.max(hb, cy)));
    if (cx > 0 && hb > 0) {
      const expected = Math.max(cx, hb);
      const dead = new ChatError('UNAVAILABLE', 'No heart-beat from the client: the connection is considered dead.');
      timers.push(setInterval(() => Date.now() - lastReceivedMs > expected * 2 && session.end(dead), expected));
    }
    write(codec.connectedFrame(hb, principal.userId));
  };

  // Runs in arrival order (session.run): a SEND is stored before the next frame is read.
  const onFrame = async (frame: FrameImpl) => {
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') return connect(frame.headers);
    if (!session.principal) throw new ChatError('UNAUTHENTICATED', 'Send CONNECT with a token before any other frame.');
    const receipt = frame.headers['receipt'] ? { 'receipt-id': frame.headers['receipt'] } : undefined;
    const reply = (ack: Ack) => {
      if (!ack.ok) toErrors('error', codec.frameErrorBody(frame, ack.error), receipt);
      else if (receipt) write(codec.writeFrame('RECEIPT', receipt));
    };
    if (frame.command === 'DISCONNECT') {
      reply({ ok: true });
      session.dispose();
      stopTimers();
      ws.close(1000);
      return;
    }
    let command: DecodedCommand | null;
    try {
      command = codec.decodeFrame(frame, errors);
    } catch (err) {
      reply({ ok: false, error: toChatError(err).toInfo() });
      return;
    }
    if (command) await session.answer(command, reply);
    else reply({ ok: true });
  };

  const parser = codec.newParser(
    (raw) => {
      pendingBytes = 0;
      if (session.closed) return;
      let frame: FrameImpl;
      try {
        frame = codec.readFrame(raw);
      } catch (err) {
        return session.end(toChatError(err));
      }
      if (session.admit()) session.run(() => onFrame(frame));
    },
    () => (lastReceivedMs = Date.now()),
  );
  ws.on('message', (data: Buffer) => {
    if (session.closed) return;
    lastReceivedMs = Date.now();
    // A frame may span several WebSocket messages; bound what we buffer before a frame completes.
    if (!session.withinSize((pendingBytes += data.length))) return;
    try {
      parser.parseChunk(codec.parserChunk(data));
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
