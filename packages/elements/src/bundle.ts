/**
 * The self-contained bundle's entry (`dist/groupbuy-chat.bundle.js`): registers `<groupbuy-chat>` and
 * `<participant-list>` and carries Lit and the SDK core, so a page needs one `<script type="module">`.
 * The STOMP and WebSocket transports are content-hashed chunks (`dist/chunks/`) fetched when a client
 * first connects. It also exports the classes, and `createChatClient` with the bundled transports for a
 * page that wants to share one client between widgets.
 */
import './define/groupbuy-chat.js';
import './define/participant-list.js';
import type { Ack, ClientCommand, Transport, TransportCallbacks, TransportFactory } from '@groupbuy/sdk';
import type { StompTransportOptions } from '@groupbuy/sdk/stomp';
import type { WsTransportOptions } from '@groupbuy/sdk/ws';

export * from './index.js';
export { createChatClient } from '@groupbuy/sdk';

/**
 * A transport whose code is loaded on first use. The factory must return a Transport synchronously, so
 * this one forwards to the real transport once its chunk has arrived; the core only sends after
 * `onOpen`, which the real transport calls, so no command can arrive before it exists.
 */
function lazyTransport(name: 'stomp' | 'ws', load: () => Promise<TransportFactory>): TransportFactory {
  return (context) => {
    let real: Transport | null = null;
    let closed = false;
    return {
      name,
      open(callbacks: TransportCallbacks) {
        load().then(
          (factory) => {
            if (closed) return;
            real = factory(context);
            real.open(callbacks);
          },
          (err: unknown) => {
            // A chunk that failed to download (offline, a deploy removed it) is a failed attempt like a
            // refused socket: the core backs off and tries again, and the browser retries the import.
            if (!closed) callbacks.onClose({ reason: `could not load the ${name} transport: ${String(err)}` });
          },
        );
      },
      send(command: ClientCommand): Promise<Ack> {
        return real ? real.send(command) : Promise.reject(new Error(`the ${name} transport is not open yet`));
      },
      close() {
        closed = true;
        real?.close();
      },
    };
  };
}

/** STOMP over WebSocket (`@groupbuy/sdk/stomp`), loaded as a chunk on first connect. */
export function stompTransport(options: StompTransportOptions = {}): TransportFactory {
  return lazyTransport('stomp', () => import('@groupbuy/sdk/stomp').then((m) => m.stompTransport(options)));
}

/** The plain WebSocket transport (`@groupbuy/sdk/ws`), loaded as a chunk on first connect. */
export function wsTransport(options: WsTransportOptions = {}): TransportFactory {
  return lazyTransport('ws', () => import('@groupbuy/sdk/ws').then((m) => m.wsTransport(options)));
}
