import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import {
  ChatError,
  HTTP_STATUS,
  LIMITS,
  WS_CONTROL_TYPES,
  assertProductId,
  parseSendBody,
  peekClientMsgId,
  parseSeq,
  toChatError,
  type ErrorInfo,
} from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { RealtimeContext } from './context.js';
import type { HubSubscription } from './hub.js';

/**
 * The seed's plain WebSocket endpoint `/chat/{productId}?token=<JWT>&sinceSeq=N[&ready=1]`: one room per socket.
 * Server → client frames are Message JSON (so `JSON.parse(event.data)` appends them as-is) or control
 * objects `{ type: 'ERROR' | 'REPLAY_TRUNCATED' | 'SUBSCRIPTION_ENDED', … }`.
 */
export function handleRawWs(ws: WebSocket, url: URL, ctx: RealtimeContext): void {
  let principal: Principal | null = null;
  let sub: HubSubscription | null = null;
  let unregister: (() => void) | null = null;
  let closed = false;
  const connectionId = randomUUID();
  // Frames that arrive before the token is verified wait here, in order; so do frames behind a slow store write.
  let work: Promise<void> = Promise.resolve();

  const send = (obj: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  };
  // Close codes 4000 + HTTP status, so a client can tell "sign in again" (4401) from "not allowed" (4403).
  const closeWith = (error: ErrorInfo, closeCode?: number) => {
    if (closed) return;
    closed = true;
    cleanup();
    ws.close(closeCode ?? 4000 + ((HTTP_STATUS[error.code] ?? 500) % 1000));
  };
  const fail = (error: ErrorInfo, closeCode?: number) => {
    send({ type: WS_CONTROL_TYPES.error, error });
    closeWith(error, closeCode);
  };
  const cleanup = () => {
    if (sub) ctx.hub.unsubscribe(sub);
    sub = null;
    unregister?.();
    unregister = null;
  };

  ws.on('close', () => {
    closed = true;
    cleanup();
  });
  ws.on('error', () => cleanup());

  const start = async () => {
    const productId = assertProductId(decodeURIComponent(url.pathname.slice('/chat/'.length)));
    const sinceSeq = parseSeq(url.searchParams.get('sinceSeq') ?? undefined, 'sinceSeq');
    try {
      principal = await ctx.verifier.verify(url.searchParams.get('token'));
    } catch (err) {
      ctx.metrics.inc('groupbuy_auth_failures_total', { transport: 'ws' });
      throw err;
    }
    if (closed) return;
    const p = principal;
    unregister = ctx.hub.register({
      transport: 'ws',
      principal: p,
      close: (error) => fail(error),
      terminate: () => ws.terminate(),
    });
    sub = await ctx.hub.subscribe(p, productId, sinceSeq, {
      deliver: (d) => send(d.json),
      replayTruncated: (info) => send({ type: WS_CONTROL_TYPES.replayTruncated, ...info }),
      ended: (error) => {
        sub = null;
        send({ type: WS_CONTROL_TYPES.subscriptionEnded, roomId: productId, error });
        closeWith(error);
      },
    });
    if (closed) cleanup();
    else if (url.searchParams.get('ready') === '1') {
      send({ type: WS_CONTROL_TYPES.ready, roomId: productId, lastSeq: (await ctx.service.getRoom(productId)).lastSeq });
    }
    return productId;
  };

  const ready = start();
  work = ready.then(
    () => undefined,
    (err) => fail(toChatError(err).toInfo()),
  );

  ws.on('message', (data: Buffer, isBinary) => {
    if (closed) return;
    if (data.length > LIMITS.frameMaxBytes) {
      fail(new ChatError('PAYLOAD_TOO_LARGE', `A message frame can be at most ${LIMITS.frameMaxBytes} bytes.`).toInfo(), 1009);
      return;
    }
    try {
      ctx.frameLimiter.take(connectionId);
    } catch {
      fail({ code: 'RATE_LIMITED', message: 'Too many frames on this connection; reconnect and slow down.' }, 4429);
      return;
    }
    work = work.then(async () => {
      if (closed || !principal) return;
      const productId = await ready;
      if (!productId) return;
      let clientMsgId: string | undefined;
      try {
        if (isBinary) throw new ChatError('INVALID_INPUT', 'Send text frames with JSON like {"content": "…"}.');
        // Parsed once: the clientMsgId is read from it first so even a refused send can be matched.
        const text = data.toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Left as text: parseSendBody answers with the reason.
        }
        clientMsgId = peekClientMsgId(parsed);
        const body = parseSendBody(parsed);
        const { message, duplicate } = await ctx.service.post(principal, productId, body);
        // A retry is not broadcast again; the sender still sees its stored message.
        if (duplicate) send(message);
      } catch (err) {
        const error = toChatError(err);
        if (error.code === 'UNAUTHENTICATED') return fail(error.toInfo());
        send({ type: WS_CONTROL_TYPES.error, error: error.toInfo(), ...(clientMsgId ? { clientMsgId } : {}) });
      }
    });
  });
}
