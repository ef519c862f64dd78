import type { ErrorInfo } from './errors.js';

/**
 * What a server tells every connection when it shuts down (SIGTERM, a deploy): UNAVAILABLE with
 * `retryAfterMs: 0`, "reconnect now" — through a load balancer the client lands on another instance and
 * resumes from its last seq. Each transport says it in its own words as well: a STOMP ERROR frame with the
 * {@link RESTART_STOMP_HEADER} hint, a WebSocket close {@link RESTART_CLOSE_CODE}, a Socket.IO `chat-error`
 * carrying this object before the disconnect.
 */
export const RESTART_NOTICE: Readonly<ErrorInfo> = Object.freeze({
  code: 'UNAVAILABLE',
  message: 'The chat server is restarting. Reconnecting…',
  retryAfterMs: 0,
});

/** WebSocket close code 1012 "Service Restart" (RFC 6455 §7.4, IANA registry): STOMP's socket and the plain WebSocket on shutdown. */
export const RESTART_CLOSE_CODE = 1012;

/** The WebSocket close reason sent with {@link RESTART_CLOSE_CODE}. */
export const RESTART_CLOSE_REASON = 'restarting';

/** The STOMP ERROR frame's hint header on shutdown (`x-reconnect:now`): reconnect at once, no backoff. */
export const RESTART_STOMP_HEADER = { name: 'x-reconnect', value: 'now' } as const;

/**
 * True when `error` is the shutdown notice (UNAVAILABLE with `retryAfterMs: 0`): the SDK reconnects at once
 * instead of after its backoff. Any other UNAVAILABLE (a dead heart-beat, an outage) keeps the backoff.
 */
export function isRestartNotice(error: ErrorInfo | undefined): boolean {
  return error?.code === 'UNAVAILABLE' && error.retryAfterMs === 0;
}
