/**
 * @groupbuy/sdk — the framework-agnostic groupbuy-chat client. Pick a transport from its own entry point
 * (`@groupbuy/sdk/stomp`, `/socket.io`, `/ws`) and hand it to {@link createChatClient}.
 * Importing this module touches no `window` or `document` (SSR-safe).
 */
export { createChatClient } from './client.js';
export { lazyTransport } from './lazy-transport.js';
export { browserPlatform } from './platform.js';
export { backoffDelayMs, type BackoffOptions } from './backoff.js';
export { memoryOutboxStorage, OUTBOX_MAX_ENTRIES, OUTBOX_TTL_MS } from './outbox-store.js';
export { ChatError, type ErrorCode, type ErrorInfo } from '@groupbuy/protocol';
export type {
  Ack,
  ChatClient,
  ChatClientOptions,
  ClientCommand,
  ConnectionState,
  CurrentUser,
  Listener,
  MessageStatus,
  OptimisticMessage,
  OutboxStorage,
  PlatformEvents,
  RoomSession,
  RoomSessionEvents,
  ServerEvent,
  ShippingAddressApi,
  Transport,
  TransportCallbacks,
  TransportCloseInfo,
  TransportContext,
  TransportFactory,
  ViewMessage,
} from './types.js';
export * from './attachments.js';
export { inviteRefFromUrl, inviteUrl, type JoinOptions } from './insights.js';
export type { Invite, RoomStats } from '@groupbuy/protocol';
export type { SendOptions } from './sends.js';
