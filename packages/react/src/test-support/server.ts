// The reference server for these tests: the built CLI as a child process (@groupbuy/testing's ServerProcess,
// which the SDK's suites use too) and the few REST helpers the tests need.
import type { Room } from '@groupbuy/protocol';
import { ServerProcess as CliServerProcess } from '@groupbuy/testing/server-process';

/** The HS256 secret of every test server. */
export const TEST_SECRET = 'react-tests-secret-long-enough-for-hs256';

/** A generous send budget so no test trips the rate limit it is not testing: `capacity/refillMs`. */
const RATE_LIMIT = '10000/1000';

/** The built server CLI as a child process, so a test can SIGKILL it and start it again on the same database. */
export class ServerProcess extends CliServerProcess {
  constructor() {
    super({ secret: TEST_SECRET, rateLimit: RATE_LIMIT, tempPrefix: 'groupbuy-react-' });
  }
}

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A dev token from `POST /api/dev/token`. */
export async function devToken(url: string, userId: string, options: { name?: string; role?: 'service' } = {}): Promise<string> {
  const body = { userId, name: options.name ?? `User ${userId}`, ...options };
  return (await post<{ token: string }>(url, '/api/dev/token', body)).token;
}

let rooms = 0;

/** A fresh room, created by the trade service; ids are unique per run. */
export async function createRoom(url: string, init: { maxParticipants?: number } = {}): Promise<Room> {
  const service = await devToken(url, 'trade-service', { role: 'service' });
  const productId = `react-${process.pid}-${Date.now().toString(36)}-${(rooms++).toString(36)}`;
  return post<Room>(
    url,
    '/api/chat/rooms',
    {
      productId,
      title: 'Jeju tangerines 5 kg',
      maxParticipants: init.maxParticipants ?? 10,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    service,
  );
}

/** Polls until a condition holds (the helper both client suites share). */
export { waitFor } from '@groupbuy/testing/wait';
