import { ChatError } from '@groupbuy/protocol';
import type { SessionTransport } from './connection.js';

import type { RealtimeContext } from './context.js';

// The slow-consumer rule every transport applies (issue 10's backpressure): the limit, the grace, the cut.

/**
 * The default of `SLOW_CONSUMER_BYTES`: a client with more than this waiting to be sent to it is cut with
 * SLOW_CONSUMER (it resumes from its last seq when it reconnects), so one peer that stops reading cannot hold
 * the room's traffic in this server's memory. 4 MiB is above a full replay window of typical messages and
 * well above what a reading client ever has queued. In bytes.
 */
export const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

/**
 * How long a cut slow consumer keeps its socket, so the goodbye queued behind its backlog can still reach a
 * client that is merely slow; then the socket is dropped and its buffers freed. In ms.
 */
export const SLOW_CONSUMER_GRACE_MS = 1000;

/**
 * The one slow-consumer rule of every transport: when more than `ctx.slowConsumerBytes` wait to be sent,
 * counts the cut (`groupbuy_slow_consumer_cuts_total{transport}`), logs it with the bytes queued, and returns
 * the SLOW_CONSUMER error to end the connection with; else null.
 */
export function slowConsumerCut(
  ctx: RealtimeContext,
  transport: SessionTransport | 'sse',
  queuedBytes: number,
  userId: string | null,
): ChatError | null {
  if (queuedBytes <= ctx.slowConsumerBytes) return null;
  ctx.metrics.inc('groupbuy_slow_consumer_cuts_total', { transport });
  ctx.logger.log('warn', `${transport} client too slow, cut`, { code: 'SLOW_CONSUMER', user: userId, queuedBytes });
  return new ChatError(
    'SLOW_CONSUMER',
    `More than ${ctx.slowConsumerBytes} bytes waited to be sent to this connection; reconnect to resume from your last message.`,
  );
}
