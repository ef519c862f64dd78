import { createChatClient, lazyTransport, type ChatClient, type TransportFactory } from '@groupbuy/sdk';

/** The realtime transports a widget can build a client with (the `transport` attribute). */
export type TransportName = 'stomp' | 'socket.io' | 'ws';

/** What a widget knows when it builds its own client. */
export interface BuildClientOptions {
  /** Server base URL. */
  baseUrl: string;
  /** Which transport. */
  transport: TransportName;
  /** Token source. */
  getToken: () => string | Promise<string>;
}

/**
 * Loads a transport only when a widget builds its own client: a page that hands in a `client` never
 * downloads one. In the self-contained bundle the STOMP and plain WebSocket transports are content-hashed
 * chunks under `chunks/`, loaded on first use; `socket.io` is left out of it and throws, saying to load
 * the elements as ESM for it (rollup.config.mjs).
 */
export function loadTransport(name: TransportName): Promise<TransportFactory> {
  switch (name) {
    case 'socket.io':
      return import('@groupbuy/sdk/socket.io').then((m) => m.socketIoTransport());
    case 'stomp':
      return import('@groupbuy/sdk/stomp').then((m) => m.stompTransport());
    default:
      return import('@groupbuy/sdk/ws').then((m) => m.wsTransport());
  }
}

/**
 * A client for a widget that was given a token instead of a client. The transport's chunk loads beside the
 * room's REST reads, not before them (the history paints without waiting for it).
 */
export async function buildClient(options: BuildClientOptions): Promise<ChatClient> {
  const transport = lazyTransport(options.transport, () => loadTransport(options.transport));
  return createChatClient({ baseUrl: options.baseUrl, getToken: options.getToken, transport });
}
