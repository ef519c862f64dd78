// The REST calls the test suites make against a running reference server, in Node (the SDK's and the React
// binding's suites) and in a browser (the elements' network tests): dev tokens from `POST /api/dev/token`
// (the server runs with dev mode on) and rooms created by the trade service. Only `fetch`: no Node module.
import type { Room } from '@groupbuy/protocol';

/** What `POST /api/dev/token` signs besides the user id. */
export interface DevTokenOptions {
  /** Display name; `User <id>` when unset. */
  name?: string;
  role?: 'service';
  ttlSeconds?: number;
}

/** A room to create; every field has a default. */
export interface RoomInit {
  /** Unique when unset: `<prefix>-<time>-<n>-<random>` (suites in parallel processes may share a server). */
  productId?: string;
  title?: string;
  maxParticipants?: number;
  hostId?: string;
  /** From now; an hour when unset. */
  expiresInMs?: number;
}

export interface RestClient {
  /** A JSON request; throws with the status and the body unless the answer is 2xx. */
  call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  /** A JSON POST (see {@link call}). */
  post<T>(path: string, body: unknown, token?: string): Promise<T>;
  /** A dev token for `userId`. */
  devToken(userId: string, options?: DevTokenOptions): Promise<string>;
  /** A fresh room, created by the trade service. */
  createRoom(init?: RoomInit): Promise<Room>;
}

let rooms = 0;

/**
 * REST calls to the server at `url` (`http://127.0.0.1:PORT`). `fetch` defaults to the global one (an
 * in-process server passes its own); `prefix` starts the generated room ids, so a suite's rooms are recognisable.
 */
export function restClient(url: string, options: { fetch?: typeof fetch; prefix?: string } = {}): RestClient {
  const f = options.fetch ?? fetch;
  const prefix = options.prefix ?? 'test';
  const call = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await f(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const devToken = async (userId: string, { name, ...rest }: DevTokenOptions = {}): Promise<string> =>
    (await call<{ token: string }>('POST', '/api/dev/token', { userId, name: name ?? `User ${userId}`, ...rest })).token;
  return {
    call,
    post: (path, body, token) => call('POST', path, body, token),
    devToken,
    async createRoom(init: RoomInit = {}): Promise<Room> {
      const service = await devToken('trade-service', { name: 'Trade service', role: 'service' });
      const productId =
        init.productId ?? `${prefix}-${Date.now().toString(36)}-${(rooms++).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
      return call<Room>(
        'POST',
        '/api/chat/rooms',
        {
          productId,
          title: init.title ?? 'Jeju tangerines 5 kg',
          maxParticipants: init.maxParticipants ?? 10,
          expiresAt: new Date(Date.now() + (init.expiresInMs ?? 3_600_000)).toISOString(),
          ...(init.hostId ? { hostId: init.hostId } : {}),
        },
        service,
      );
    },
  };
}
