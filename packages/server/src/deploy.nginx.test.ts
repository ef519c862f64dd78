import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, Agent } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { Client } from '@stomp/stompjs';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ChatMessage, Room } from '@groupbuy/protocol';
import { startTestServer, tokenFor, waitFor, type TestServer } from './test-support/harness.js';
// The nginx harness the SDK's shutdown test uses too. By path, not as @groupbuy/testing: that package depends on
// this one; the module itself needs only Node.
import { NGINX_PATH, startNginx, type RunningNginx } from '../../testing/src/nginx.js';

// Debian's nginx, configured by the very file docs/deploy.md ships (started by @groupbuy/testing's nginx
// harness), in front of a real server: every transport and the origin allow-list are checked THROUGH the proxy,
// over TLS with a self-signed pair.

const SHOP_ORIGIN = 'https://shop.example';

if (!NGINX_PATH) console.warn('deploy.nginx.test.ts skipped: nginx is not installed (.ci/run installs it with apt-get).');

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The JSON body parsed, when the answer is JSON. */
  body: unknown;
  /** The body's bytes as they came over the wire (still encoded). */
  raw: Buffer;
}

/** What the test's widget folder holds: a stable entry and one hashed chunk, each with .br and .gz beside it. */
const WIDGET_FILES: Record<string, string> = {
  'groupbuy-chat.bundle.js': "import './chunks/core-3f9a1c.js';\n",
  'chunks/core-3f9a1c.js': "customElements.define('groupbuy-test', class extends HTMLElement {});\n",
};

function writeWidget(dir: string): void {
  mkdirSync(join(dir, 'chunks'), { recursive: true });
  for (const [name, text] of Object.entries(WIDGET_FILES)) {
    writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(text));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(text));
  }
}

describe.skipIf(!NGINX_PATH)('nginx in front of the server (deploy/nginx/groupbuy-chat.conf)', () => {
  let dir: string;
  let server: TestServer;
  let nginx: RunningNginx | undefined;
  let base: string;
  let httpPort: number;
  let ca: string;
  let agent: Agent;

  /** An HTTPS request through nginx that trusts the test's own certificate. */
  const call = (method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    new Promise<Reply>((res, rej) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      if (payload) headers['Content-Type'] = 'application/json';
      const req = httpsRequest(base + path, { method, headers, agent }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => {
          const raw = Buffer.concat(chunks);
          const json = (r.headers['content-type'] ?? '').includes('json') && !r.headers['content-encoding'] && raw.length > 0;
          res({ status: r.statusCode ?? 0, headers: r.headers, body: json ? (JSON.parse(raw.toString('utf8')) as unknown) : null, raw });
        });
      });
      req.on('error', rej);
      req.end(payload);
    });

  const createRoom = async (productId: string): Promise<Room> => {
    const res = await call('POST', '/api/chat/rooms', {
      token: await tokenFor('trade-service', { role: 'service' }),
      body: {
        productId,
        title: 'Jeju tangerines 5 kg',
        maxParticipants: 10,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        hostId: 'seller-7',
      },
    });
    expect(res.status).toBe(201);
    return res.body as Room;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-nginx-'));
    writeWidget(join(dir, 'widget'));
    server = await startTestServer({ dev: false, allowedOrigins: [SHOP_ORIGIN], widgetDir: join(dir, 'widget') });
    nginx = await startNginx({ upstreams: [`127.0.0.1:${server.port}`] });
    ({ base, httpPort, ca } = nginx);
    agent = new Agent({ ca, keepAlive: false });
    await waitFor(async () => (await call('GET', '/healthz')).status === 200, 10_000, 'nginx to proxy /healthz');
  });

  afterAll(async () => {
    await nginx?.stop();
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await new Promise<{ status: number; location: string | undefined }>((ok, fail) => {
      httpRequest(`http://127.0.0.1:${httpPort}/api/chat/rooms/x?y=1`, (r) => {
        r.resume();
        ok({ status: r.statusCode ?? 0, location: r.headers.location });
      })
        .on('error', fail)
        .end();
    });
    expect(res).toEqual({ status: 301, location: 'https://127.0.0.1/api/chat/rooms/x?y=1' });
  });

  it('creates a room over REST and a STOMP client gets its own message, then sees it in the history', async () => {
    const room = await createRoom('nginx-stomp');
    const token = await tokenFor('buyer-1', { name: '지우' });
    const got: ChatMessage[] = [];
    const client = new Client({
      webSocketFactory: () => new WebSocket(`${base.replace('https', 'wss')}/ws`, ['v12.stomp'], { ca }),
      connectHeaders: { Authorization: `Bearer ${token}` },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
    });
    await new Promise<void>((res, rej) => {
      client.onConnect = () => res();
      client.onStompError = (f) => rej(new Error(f.headers['message'] ?? 'STOMP ERROR'));
      client.onWebSocketClose = () => rej(new Error('closed before CONNECTED'));
      client.activate();
    });
    client.subscribe(`/topic/chat/${room.productId}`, (m) => got.push(JSON.parse(m.body) as ChatMessage));
    client.publish({
      destination: `/app/chat/${room.productId}`,
      body: JSON.stringify({ content: '배송은 언제인가요?', clientMsgId: 'ngx-stomp-1' }),
    });
    await waitFor(() => got.some((m) => m.clientMsgId === 'ngx-stomp-1'), 10_000, 'the STOMP message back');
    await client.deactivate();

    const history = await call('GET', `/api/chat/rooms/${room.productId}/messages`, { token });
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({
      messages: [{ seq: 1, content: '배송은 언제인가요?', sender: { userId: 'buyer-1', name: '지우' } }],
    });
  });

  it('carries the plain WebSocket /chat/{id}', async () => {
    const room = await createRoom('nginx-raw');
    const token = await tokenFor('buyer-2');
    const ws = new WebSocket(`${base.replace('https', 'wss')}/chat/${room.productId}?token=${token}&ready=1`, { ca });
    const frames: { type?: string; clientMsgId?: string; content?: string }[] = [];
    // ws hands over a Buffer (binaryType 'nodebuffer', its default).
    ws.on('message', (d: WebSocket.RawData) => frames.push(JSON.parse((d as Buffer).toString()) as { type?: string }));
    await waitFor(() => frames.some((f) => f.type === 'READY'), 10_000, 'READY');
    ws.send(JSON.stringify({ content: 'hello through nginx', clientMsgId: 'ngx-raw-1' }));
    await waitFor(() => frames.some((f) => f.clientMsgId === 'ngx-raw-1'), 10_000, 'the message back');
    expect(frames.find((f) => f.clientMsgId === 'ngx-raw-1')).toMatchObject({ content: 'hello through nginx' });
    ws.close();
  });

  it.each(['websocket', 'polling'] as const)('carries Socket.IO over %s', async (transport) => {
    const room = await createRoom(`nginx-io-${transport}`);
    const socket: Socket = io(base, {
      path: '/socket.io',
      auth: { token: await tokenFor(`io-${transport}`) },
      transports: [transport],
      upgrade: false,
      reconnection: false,
      forceNew: true,
      ca,
    });
    try {
      await new Promise<void>((res, rej) => {
        socket.once('connect', () => res());
        socket.once('connect_error', rej);
      });
      const got: ChatMessage[] = [];
      socket.on('message', (m: ChatMessage) => got.push(m));
      expect(await (socket.emitWithAck('subscribe', { roomId: room.productId }) as Promise<Ack>)).toMatchObject({ ok: true });
      const ack = (await socket.emitWithAck('send', {
        roomId: room.productId,
        content: `over ${transport}`,
        clientMsgId: `ngx-io-${transport}`,
      })) as Ack;
      expect(ack).toMatchObject({ ok: true, message: { seq: 1, content: `over ${transport}` } });
      await waitFor(() => got.length === 1, 10_000, 'the broadcast');
      expect(socket.io.engine.transport.name).toBe(transport);
    } finally {
      socket.disconnect();
    }
  });

  it('streams the SSE feed unbuffered: a notice posted after connecting arrives while the stream stays open', async () => {
    const room = await createRoom('nginx-sse');
    const events: { event: string; data: string }[] = [];
    let contentEncoding: string | undefined;
    let ended = false;
    const req = httpsRequest(
      `${base}/api/chat/rooms/${room.productId}/events?token=${await tokenFor('watcher-1')}`,
      { agent, headers: { 'Accept-Encoding': 'gzip' } },
      (r) => {
        contentEncoding = r.headers['content-encoding'];
        let buf = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data });
          }
        });
        r.on('end', () => (ended = true));
      },
    );
    req.on('error', () => undefined);
    req.end();
    try {
      await waitFor(() => events.some((e) => e.event === 'room'), 10_000, 'the room event on connect');
      const posted = await call('POST', `/api/chat/rooms/${room.productId}/notifications`, {
        token: await tokenFor('trade-service', { role: 'service' }),
        body: { content: '내일 오전 출고합니다' },
      });
      expect(posted.status).toBe(201);
      await waitFor(() => events.some((e) => e.event === 'notification'), 10_000, 'the notification through nginx');
      expect(JSON.parse(events.find((e) => e.event === 'notification')!.data)).toMatchObject({
        type: 'NOTIFICATION',
        content: '내일 오전 출고합니다',
      });
      expect(ended).toBe(false);
      expect(contentEncoding).toBeUndefined();
    } finally {
      req.destroy();
    }
  });

  it('passes Host and Origin through, so the allow-list and same-origin still decide', async () => {
    await createRoom('nginx-origin');
    const token = await tokenFor('buyer-3');
    const listed = await call('GET', '/api/chat/rooms/nginx-origin', { token, headers: { Origin: SHOP_ORIGIN } });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    const unlisted = await call('GET', '/api/chat/rooms/nginx-origin', { token, headers: { Origin: 'https://evil.example' } });
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();

    const upgrade = (origin: string) =>
      new Promise<number>((res) => {
        const ws = new WebSocket(`${base.replace('https', 'wss')}/ws`, ['v12.stomp'], { ca, origin });
        ws.once('open', () => {
          ws.close();
          res(101);
        });
        ws.once('unexpected-response', (_req, r) => {
          res(r.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('error', () => undefined);
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade(SHOP_ORIGIN)).toBe(101);
    // Same-origin is Origin's host against Host: nginx must forward the port, not only the name.
    expect(await upgrade(base)).toBe(101);
  });

  it('serves the widget to a page on any origin: CORS, the precompressed body, ETag revalidation and caching pass through', async () => {
    const headers = { Origin: 'https://another-shop.example', 'Accept-Encoding': 'br, gzip' };
    const entry = await call('GET', '/elements/groupbuy-chat.bundle.js', { headers });
    expect(entry.status).toBe(200);
    expect(entry.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'content-encoding': 'br',
      'cache-control': 'no-cache',
      vary: 'Accept-Encoding',
    });
    expect(brotliDecompressSync(entry.raw).toString('utf8')).toBe(WIDGET_FILES['groupbuy-chat.bundle.js']);
    const etag = entry.headers.etag;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await call('GET', '/elements/groupbuy-chat.bundle.js', { headers: { ...headers, 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const chunk = await call('GET', '/elements/chunks/core-3f9a1c.js', { headers: { ...headers, 'Accept-Encoding': 'gzip' } });
    expect(chunk.headers).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('keeps tokens and addresses out of its access log', async () => {
    await waitFor(() => existsSync(join(nginx!.logDir, 'groupbuy-chat.access.log')), 10_000, 'the access log');
    const log = readFileSync(join(nginx!.logDir, 'groupbuy-chat.access.log'), 'utf8');
    expect(log).toContain('/api/chat/rooms/nginx-sse/events');
    expect(log).not.toMatch(/token=|eyJ|127\.0\.0\.1/);
  });
});
