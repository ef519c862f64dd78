import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import type { ChatMessage, Room } from '@groupbuy/protocol';
import { signToken } from '../auth/jwt.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer, type StartServerOptions } from '../server.js';

/** The secret every test server uses. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-use';

/** A server on an ephemeral port with a real SQLite file in a fresh temp dir. */
export interface TestServer extends RunningServer {
  /** The temp dir holding the database. */
  dir: string;
  /** The database file. */
  dbPath: string;
  /** The ws:// base URL. */
  wsUrl: string;
  /** Closes the server and deletes the temp dir. */
  dispose(): Promise<void>;
}

/** Starts a test server; `dir` reuses a database (restart tests). */
export async function startTestServer(options: Partial<StartServerOptions> & { dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'groupbuy-'));
  const dbPath = join(dir, 'chat.db');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: dbPath,
    jwtSecret: TEST_SECRET,
    dev: true,
    logger: silentLogger,
    ...options,
  });
  return Object.assign(server, {
    dir,
    dbPath,
    wsUrl: server.url.replace(/^http/, 'ws'),
    async dispose() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A signed token for a shopper (or the trade service with role 'service'). */
export async function tokenFor(userId: string, opts: { role?: 'service'; ttlSeconds?: number; name?: string } = {}): Promise<string> {
  const { token } = await signToken({ secret: TEST_SECRET }, { userId, name: opts.name ?? `User ${userId}`, ...opts });
  return token;
}

/** fetch with a bearer token and JSON; returns status and parsed body. */
export async function api(
  server: { url: string },
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.url + path, {
    method,
    headers,
    ...(opts.rawBody !== undefined ? { body: opts.rawBody } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: res.status, body, headers: res.headers };
}

let roomCounter = 0;

/** Creates a room through the trade-service API; returns it. */
export async function createRoom(
  server: { url: string },
  init: {
    productId?: string;
    maxParticipants?: number;
    minParticipants?: number;
    expiresInMs?: number;
    hostId?: string;
    title?: string;
  } = {},
): Promise<Room> {
  const service = await tokenFor('trade-service', { role: 'service' });
  const productId = init.productId ?? `p${Date.now().toString(36)}${(roomCounter++).toString(36)}`;
  const res = await api(server, 'POST', '/api/chat/rooms', {
    token: service,
    body: {
      productId,
      title: init.title ?? 'Jeju tangerines 5 kg',
      maxParticipants: init.maxParticipants ?? 10,
      ...(init.minParticipants !== undefined ? { minParticipants: init.minParticipants } : {}),
      expiresAt: new Date(Date.now() + (init.expiresInMs ?? 3_600_000)).toISOString(),
      ...(init.hostId ? { hostId: init.hostId } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`createRoom failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Room;
}

/** Polls `check` until it returns truthy (or throws the last error after `timeoutMs`, @default 10000). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A connected @stomp/stompjs client that records what it receives. */
export interface StompPeer {
  /** The client. */
  client: Client;
  /** Room messages received, per room. */
  messages: Map<string, ChatMessage[]>;
  /** Bodies of frames on /user/queue/errors with their headers. */
  errors: { headers: Record<string, string>; body: any }[];
  /** Non-message frames on room subscriptions (x-kind ≠ message). */
  control: { kind: string; body: any }[];
  /** ERROR frames received. */
  stompErrors: IFrame[];
  /** True once the socket closed. */
  closed: () => boolean;
  /** Subscribes to a room topic, resolving on the RECEIPT. */
  subscribe(roomId: string, headers?: Record<string, string>): Promise<void>;
  /** SENDs chat, resolving on the RECEIPT (or the refusal on the errors queue). */
  send(roomId: string, body: unknown, headers?: Record<string, string>): Promise<{ ok: boolean; error?: any }>;
  /** Disconnects. */
  close(): Promise<void>;
}

let receiptCounter = 0;

/** Connects a real stompjs client (over `ws`) with `token`; rejects on STOMP ERROR before CONNECTED. */
export function connectStomp(
  server: { wsUrl: string },
  token: string | null,
  opts: { heartbeatMs?: number; connectHeaders?: Record<string, string> } = {},
): Promise<StompPeer> {
  return new Promise((resolve, reject) => {
    let isClosed = false;
    const messages = new Map<string, ChatMessage[]>();
    const errors: StompPeer['errors'] = [];
    const control: StompPeer['control'] = [];
    const stompErrors: IFrame[] = [];
    const pending = new Map<string, (r: { ok: boolean; error?: any }) => void>();
    const client = new Client({
      webSocketFactory: () => new WebSocket(`${server.wsUrl}/ws`, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
      connectHeaders: opts.connectHeaders ?? (token ? { Authorization: `Bearer ${token}` } : {}),
      reconnectDelay: 0,
      heartbeatIncoming: opts.heartbeatMs ?? 0,
      heartbeatOutgoing: opts.heartbeatMs ?? 0,
    });
    const onErrorFrame = (m: IMessage) => {
      const body = JSON.parse(m.body);
      errors.push({ headers: m.headers, body });
      const rid = m.headers['receipt-id'];
      if (rid && pending.has(rid)) {
        pending.get(rid)!({ ok: false, error: body.error });
        pending.delete(rid);
      }
    };
    client.onUnhandledMessage = onErrorFrame;
    client.onConnect = () => {
      client.subscribe('/user/queue/errors', onErrorFrame);
      resolve(peer);
    };
    client.onStompError = (frame) => {
      stompErrors.push(frame);
      reject(Object.assign(new Error(frame.headers['message'] ?? 'STOMP ERROR'), { frame }));
    };
    client.onWebSocketClose = () => {
      isClosed = true;
      reject(new Error('closed before CONNECTED'));
    };
    const peer: StompPeer = {
      client,
      messages,
      errors,
      control,
      stompErrors,
      closed: () => isClosed,
      subscribe(roomId, headers = {}) {
        return new Promise((res, rej) => {
          const receipt = `s${++receiptCounter}`;
          pending.set(receipt, (r) => (r.ok ? res() : rej(Object.assign(new Error(r.error.code), { error: r.error }))));
          client.watchForReceipt(receipt, () => {
            pending.delete(receipt);
            res();
          });
          client.subscribe(
            `/topic/chat/${roomId}`,
            (m) => {
              const kind = m.headers['x-kind'] ?? 'message';
              if (kind === 'message') {
                const list = messages.get(roomId) ?? [];
                list.push(JSON.parse(m.body));
                messages.set(roomId, list);
              } else control.push({ kind, body: JSON.parse(m.body) });
            },
            { ...headers, receipt },
          );
        });
      },
      send(roomId, body, headers = {}) {
        return new Promise((res) => {
          const receipt = `r${++receiptCounter}`;
          pending.set(receipt, res);
          client.watchForReceipt(receipt, () => {
            pending.delete(receipt);
            res({ ok: true });
          });
          client.publish({
            destination: `/app/chat/${roomId}`,
            body: typeof body === 'string' ? body : JSON.stringify(body),
            headers: { ...headers, receipt },
          });
        });
      },
      async close() {
        await client.deactivate();
      },
    };
    client.activate();
  });
}

/** A raw WebSocket that records parsed JSON frames. */
export interface RawPeer {
  /** The socket. */
  ws: WebSocket;
  /** Every parsed frame. */
  frames: any[];
  /** The close code, once closed. */
  closeCode: () => number | null;
}

/** Opens `path` (e.g. `/chat/p1?token=…`) and waits for open (or close). */
export function openRaw(server: { wsUrl: string }, path: string, protocols?: string[]): Promise<RawPeer> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.wsUrl + path, protocols);
    const frames: any[] = [];
    let code: number | null = null;
    const peer: RawPeer = { ws, frames, closeCode: () => code };
    ws.on('message', (d) => {
      // ws hands over a Buffer (binaryType 'nodebuffer', its default), not an ArrayBuffer or fragments.
      const text = (d as Buffer).toString();
      try {
        frames.push(JSON.parse(text));
      } catch {
        frames.push(text);
      }
    });
    ws.on('close', (c) => {
      code = c;
      resolve(peer);
    });
    ws.on('error', () => undefined);
    ws.on('open', () => resolve(peer));
  });
}
