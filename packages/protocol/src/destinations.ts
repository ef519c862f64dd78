import { PRODUCT_ID_PATTERN } from './limits.js';

/** STOMP destinations and the other transports' addresses, in one place. */
export const DESTINATIONS = {
  /** Prefix of the room topics a client SUBSCRIBEs to. */
  topicPrefix: '/topic/chat/',
  /** Prefix of the destinations a client SENDs chat to. */
  appPrefix: '/app/chat/',
  /** Prefix of the destinations a client SENDs "I am typing" to (empty body, no receipt needed). */
  typingPrefix: '/app/typing/',
  /** Per-connection queue for errors about single frames. */
  userErrors: '/user/queue/errors',
  /** STOMP-over-WebSocket endpoint path. */
  stompPath: '/ws',
  /** Socket.IO endpoint path. */
  socketIoPath: '/socket.io',
  /** Prefix of the plain WebSocket endpoint (`/chat/{productId}`). */
  wsPrefix: '/chat/',
  /** REST base path. */
  apiBase: '/api/chat',
} as const;

/** STOMP headers that carry groupbuy-specific meaning. */
export const STOMP_HEADERS = {
  /** On SUBSCRIBE: replay every message with a larger seq before live ones. */
  sinceSeq: 'since-seq',
  /**
   * On MESSAGE: what the body is (`message` by default, `replay-truncated`, `subscription-ended`, `error`,
   * `viewers`, `typing`, `read`, `notice`).
   */
  kind: 'x-kind',
} as const;

/** `/topic/chat/{productId}`. */
export function roomTopic(productId: string): string {
  return DESTINATIONS.topicPrefix + productId;
}

/** `/app/chat/{productId}`. */
export function roomAppDestination(productId: string): string {
  return DESTINATIONS.appPrefix + productId;
}

/** `/app/typing/{productId}`. */
export function roomTypingDestination(productId: string): string {
  return DESTINATIONS.typingPrefix + productId;
}

/** The product id in a `/app/typing/{id}` destination, or null when it is not one. */
export function parseRoomTypingDestination(destination: string): string | null {
  return parseWithPrefix(destination, DESTINATIONS.typingPrefix);
}

/** The product id in a `/topic/chat/{id}` destination, or null when it is not one. */
export function parseRoomTopic(destination: string): string | null {
  return parseWithPrefix(destination, DESTINATIONS.topicPrefix);
}

/** The product id in a `/app/chat/{id}` destination, or null when it is not one. */
export function parseRoomAppDestination(destination: string): string | null {
  return parseWithPrefix(destination, DESTINATIONS.appPrefix);
}

function parseWithPrefix(destination: string, prefix: string): string | null {
  if (!destination.startsWith(prefix)) return null;
  const id = destination.slice(prefix.length);
  return PRODUCT_ID_PATTERN.test(id) ? id : null;
}
