import { createChatClient, type ChatClient } from '@groupbuy/sdk';
import { createMemoryBackend, type MemoryBackend, type MemoryBackendOptions, type MemoryUser } from '@groupbuy/sdk/memory';

/** People the tests and stories use. */
export const PEOPLE = {
  seller: { userId: 'seller-1', name: '김사장' },
  minji: { userId: 'u-minji', name: '민지' },
  alex: { userId: 'u-alex', name: 'Alex' },
  seojun: { userId: 'u-seojun', name: '서준' },
  priya: { userId: 'u-priya', name: 'Priya' },
  watcher: { userId: 'u-watcher', name: '구경꾼' },
} satisfies Record<string, MemoryUser>;

/** A memory backend with quick reconnects, for tests and stories. */
export function memoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  return createMemoryBackend(options);
}

/**
 * A real `ChatClient` on a memory backend, signed in as `user`. Reconnects are fast and the browser's
 * online/visibility events are left out, so a test decides when the connection drops.
 */
export function memoryClient(backend: MemoryBackend, user: MemoryUser): ChatClient {
  return createChatClient({
    baseUrl: backend.baseUrl,
    fetch: backend.fetch,
    transport: backend.transport,
    getToken: () => backend.tokenFor(user),
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 300,
    platform: { subscribe: () => () => {}, isOnline: () => true },
  });
}
