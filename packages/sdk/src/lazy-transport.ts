import { ChatError } from '@groupbuy/protocol';
import type { Transport, TransportFactory } from './types.js';

/**
 * A transport whose code is still to be downloaded (a page's bundle that loads `@groupbuy/sdk/ws` or
 * `/stomp` as a chunk): the client is created at once, so its REST reads (the room, the latest page) go
 * out while the chunk is on its way instead of after it. `load` runs on the first connection attempt and
 * its factory serves every later one; a load that fails ends that attempt like a connection that did not
 * come up (the client backs off, and the next attempt loads again).
 *
 * @example
 * createChatClient({ baseUrl, getToken, transport: lazyTransport('ws', () => import('@groupbuy/sdk/ws').then((m) => m.wsTransport())) });
 */
export function lazyTransport(name: Transport['name'], load: () => Promise<TransportFactory>): TransportFactory {
  let loading: Promise<TransportFactory> | undefined;
  const loaded = (): Promise<TransportFactory> => {
    if (!loading) {
      loading = load();
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
  return (context) => {
    let inner: Transport | undefined;
    let closed = false;
    return {
      name,
      open(callbacks) {
        loaded()
          .then((make) => {
            // Closed while the chunk loaded: this attempt is stale, nothing of it may open or call back.
            if (closed) return;
            inner = make(context);
            inner.open(callbacks);
          })
          .catch((err: unknown) => {
            if (!closed && !inner) callbacks.onClose({ reason: `the ${name} transport did not load: ${String(err)}` });
          });
      },
      send(command) {
        // The client sends only once open, which only the loaded transport reports.
        return inner ? inner.send(command) : Promise.reject(new ChatError('UNAVAILABLE', 'Not connected to the chat server.'));
      },
      close() {
        closed = true;
        inner?.close();
      },
    };
  };
}
