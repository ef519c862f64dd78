import { createChatClient, type ChatClient } from '@groupbuy/sdk';
import { createInProcessServer, type InProcessServer, type InProcessServerOptions, type TestUser } from '@groupbuy/testing';
import { restClient, type RestClient } from '@groupbuy/testing/rest';

/** People the tests and stories use. */
export const PEOPLE = {
  seller: { userId: 'seller-1', name: '김사장' },
  minji: { userId: 'u-minji', name: '민지' },
  alex: { userId: 'u-alex', name: 'Alex' },
  seojun: { userId: 'u-seojun', name: '서준' },
  priya: { userId: 'u-priya', name: 'Priya' },
  watcher: { userId: 'u-watcher', name: '구경꾼' },
} satisfies Record<string, TestUser>;

/** The real server core in this page (@groupbuy/testing), for one test. */
export function testServer(options: InProcessServerOptions = {}): InProcessServer {
  return createInProcessServer(options);
}

/**
 * A real `ChatClient` on an in-process server, signed in as `user` (a fresh token per connection).
 * Reconnects are fast and the browser's online/visibility events are left out, so a test decides when
 * the connection drops.
 */
export function testClient(
  server: InProcessServer,
  user: TestUser,
  options: { getToken?: () => string | Promise<string>; fetch?: typeof fetch } = {},
): ChatClient {
  return createChatClient({
    baseUrl: server.baseUrl,
    fetch: options.fetch ?? server.fetch,
    transport: server.transport,
    getToken: options.getToken ?? (() => server.tokenFor(user)),
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 300,
    platform: { subscribe: () => () => {}, isOnline: () => true },
  });
}

/** `user`'s unread count in `productId` as the server has it (GET the room): what the launcher's badge shows. */
export async function serverUnread(server: InProcessServer, productId: string, user: TestUser): Promise<number | undefined> {
  const res = await server.fetch(`${server.baseUrl}/api/chat/rooms/${productId}`, {
    headers: { authorization: `Bearer ${await server.tokenFor(user)}` },
  });
  return ((await res.json()) as { unreadCount?: number }).unreadCount;
}

/**
 * The reference Node server web-test-runner.config.mjs starts for the network tests (its URL is served at
 * `/__groupbuy/server.json`), with the REST calls they make: dev tokens and rooms (@groupbuy/testing/rest).
 */
export async function referenceServer(prefix: string): Promise<RestClient & { readonly url: string }> {
  const { url } = (await (await fetch('/__groupbuy/server.json')).json()) as { url: string };
  return { url, ...restClient(url, { prefix }) };
}
