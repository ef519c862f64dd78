import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage, MessagePage, Room } from '@groupbuy/protocol';
import { signToken, silentLogger, startServer, type RunningServer } from '@groupbuy/server';
import { createInProcessServer, type InProcessServer } from '@groupbuy/testing';
import { restClient, type DevTokenOptions, type RestClient, type RoomInit } from '@groupbuy/testing/rest';
import { ServerProcess as CliServerProcess } from '@groupbuy/testing/server-process';

/** The HS256 secret of every test server. */
export const TEST_SECRET = 'sdk-conformance-secret-long-enough-for-hs256';

/** A generous send budget so the suite never trips the rate limit it is not testing. */
const RATE_LIMIT = { capacity: 10_000, refillMs: 1_000 };

// In-process servers by base URL: the helpers below reach them through their `fetch` (the server's own
// Hono routes) where a listening server is reached over the network.
const inProcess = new Map<string, InProcessServer>();

/** `fetch` for `url`: the in-process server's own when `url` is one, else the network's. */
export function fetchFor(url: string): typeof fetch {
  return inProcess.get(url)?.fetch ?? fetch;
}

/** The real core in this process (@groupbuy/testing): no socket; REST through `fetchFor(url)`. */
export function startInProcessServer(): TestServer & { readonly inProcess: InProcessServer } {
  const server = createInProcessServer({ rateLimit: RATE_LIMIT, tokenTtlSeconds: 3600 });
  inProcess.set(server.baseUrl, server);
  return {
    url: server.baseUrl,
    inProcess: server,
    server: { dropConnections: () => server.core.hub.dropConnections() },
    async dispose() {
      inProcess.delete(server.baseUrl);
      await server.dispose();
    },
  };
}

/** An in-process server on an ephemeral port with a real SQLite file in a fresh temp dir. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The running server: what a test may do to it (cut every connection). */
  readonly server: Pick<RunningServer, 'dropConnections'>;
  /** Closes the server and deletes its temp dir. */
  dispose(): Promise<void>;
}

/** Starts the reference server in this process. */
export async function startTestServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-sdk-'));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: join(dir, 'chat.db'),
    jwtSecret: TEST_SECRET,
    dev: true,
    rateLimit: RATE_LIMIT,
    logger: silentLogger,
  });
  return {
    url: server.url,
    server,
    async dispose() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server CLI as a child process, so a test can SIGKILL it and start it again on the same database. */
export class ServerProcess extends CliServerProcess {
  constructor() {
    super({ secret: TEST_SECRET, rateLimit: `${RATE_LIMIT.capacity}/${RATE_LIMIT.refillMs}`, tempPrefix: 'groupbuy-sdk-cli-' });
  }
}

/** REST calls to the server at `url` (@groupbuy/testing/rest), through {@link fetchFor}. */
function rest(url: string): RestClient {
  return restClient(url, { fetch: fetchFor(url), prefix: 'sdk' });
}

/** A dev token from `POST /api/dev/token`. */
export function devToken(url: string, userId: string, options?: DevTokenOptions): Promise<string> {
  return rest(url).devToken(userId, options);
}

/**
 * An HS256 token signed with the test servers' secret (or, for an in-process server's `url`, its own),
 * minted here rather than by the server: a negative `ttlSeconds` makes one that expired already (the dev
 * endpoint refuses to).
 */
export async function signedToken(userId: string, ttlSeconds: number, url?: string): Promise<string> {
  const own = url === undefined ? undefined : inProcess.get(url);
  if (own) return own.tokenFor({ userId, name: `User ${userId}` }, { ttlSeconds });
  return (await signToken({ secret: TEST_SECRET }, { userId, name: `User ${userId}`, ttlSeconds })).token;
}

/** A fresh room, created by the trade service; ids are unique per run. */
export function createRoom(url: string, init?: RoomInit): Promise<Room> {
  return rest(url).createRoom(init);
}

/** Cancels a room as the trade service. */
export async function cancelRoom(url: string, productId: string): Promise<Room> {
  const service = await devToken(url, 'trade-service', { role: 'service' });
  return rest(url).post<Room>(`/api/chat/rooms/${productId}/cancel`, {}, service);
}

/** Posts a NOTIFICATION as the trade service. */
export async function notify(url: string, productId: string, content: string): Promise<ChatMessage> {
  const service = await devToken(url, 'trade-service', { role: 'service' });
  return rest(url).post<ChatMessage>(`/api/chat/rooms/${productId}/notifications`, { content }, service);
}

/** Joins a room as `userId`. */
export async function joinRoom(url: string, productId: string, userId: string): Promise<Room> {
  return rest(url).post<Room>(`/api/chat/rooms/${productId}/participants`, {}, await devToken(url, userId));
}

/** Every stored message of a room, read page by page through REST. */
export async function history(url: string, productId: string): Promise<ChatMessage[]> {
  const token = await devToken(url, 'trade-service', { role: 'service' }); // reads every room, in every status
  const all: ChatMessage[] = [];
  for (let after = 0; ;) {
    const page = await rest(url).call<MessagePage>(
      'GET',
      `/api/chat/rooms/${productId}/messages?after=${after}&limit=100`,
      undefined,
      token,
    );
    all.push(...page.messages);
    const last = page.messages[page.messages.length - 1];
    if (!page.hasMore || !last) return all;
    after = last.seq;
  }
}

/** Polls until a condition holds (the helper both client suites share). */
export { waitFor } from '@groupbuy/testing/wait';
