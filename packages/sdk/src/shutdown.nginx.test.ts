// Graceful shutdown across instances, measured from outside: Debian's nginx with the config docs/deploy.md
// ships, two server CLIs as its upstreams (one SQLite file, the shared Redis), SDK clients over STOMP and the
// plain WebSocket through the proxy. SIGTERM one instance: its clients are told to come back now (STOMP ERROR
// with x-reconnect:now, WebSocket close 1012), the proxy sends them to the other one, and they resume from
// their last seq with nothing lost and nothing twice.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatClient } from './client.js';
import { ServerProcess, createRoom, history, signedToken, waitFor } from './test-support/server.js';
import { sentContents, strictlyOrdered } from './test-support/clients.js';
import type { WebSocketLike } from './transports/shared.js';
import { stompTransport } from './transports/stomp.js';
import { wsTransport } from './transports/ws.js';
import type { ChatClient, ConnectionState, RoomSession, TransportFactory } from './types.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SHIPPED_CONF = resolve(dirname(fileURLToPath(import.meta.url)), '../../../deploy/nginx/groupbuy-chat.conf');
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

if (!NGINX) console.warn('shutdown.nginx.test.ts skipped: nginx is not installed (.ci/run installs it with apt-get).');

/** A free TCP port on loopback (released at once; nginx binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

/**
 * The shipped config with only its machine-specific literals replaced (as packages/server/src/deploy.nginx.test.ts
 * does), the one upstream line becoming two: a literal no longer in the file fails here.
 */
function renderConf(text: string, r: { upstreams: string[]; httpPort: number; httpsPort: number; dir: string }): string {
  const swaps: [string, string][] = [
    ['server 127.0.0.1:8080;', r.upstreams.map((u) => `server ${u};`).join(' ')],
    ['listen 80;', `listen 127.0.0.1:${r.httpPort};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${r.httpsPort} ssl http2;`],
    ['listen [::]:80;', ''],
    ['listen [::]:443 ssl http2;', ''],
    ['/etc/letsencrypt/live/chat.example.com/fullchain.pem', join(r.dir, 'certs/fullchain.pem')],
    ['/etc/letsencrypt/live/chat.example.com/privkey.pem', join(r.dir, 'certs/privkey.pem')],
    ['/var/log/nginx/', `${join(r.dir, 'logs')}/`],
  ];
  let out = text;
  for (const [from, to] of swaps) {
    if (!out.includes(from))
      throw new Error(`deploy/nginx/groupbuy-chat.conf no longer contains "${from}": update renderConf in this test`);
    out = out.split(from).join(to);
  }
  return out;
}

/** How many connections of each transport an instance holds, read from its own /metrics (not through nginx). */
async function connectionsOf(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^groupbuy_connections\{transport="([^"]+)"\} (\d+)/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe.skipIf(!NGINX)('SIGTERM of one of two instances behind nginx (deploy/nginx/groupbuy-chat.conf)', () => {
  let dir: string;
  let ca = '';
  let base = '';
  let nginx: ChildProcess | undefined;
  let nginxExit: Promise<void> = Promise.resolve();
  const instances = [new ServerProcess(), new ServerProcess()];
  const clients: ChatClient[] = [];
  const killNginx = () => nginx?.kill('SIGTERM');

  // ws with the test's own certificate authority (the SDK takes the WebSocket constructor it is given).
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  }
  const NodeWebSocket = TrustingWebSocket as unknown as WebSocketLike;

  // The SDK's REST calls through nginx as well: a fetch over node:https that trusts the same authority.
  const trustingFetch: typeof fetch = (input, init) =>
    new Promise((res, rej) => {
      const url = input instanceof Request ? input.url : String(input);
      const headers = new Headers(init?.headers);
      const req = httpsRequest(url, { method: init?.method ?? 'GET', headers: Object.fromEntries(headers), ca }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') h.set(k, v);
          const body = r.statusCode === 204 || r.statusCode === 304 ? null : Buffer.concat(chunks);
          res(new Response(body, { status: r.statusCode ?? 0, headers: h }));
        });
      });
      req.on('error', rej);
      req.end(typeof init?.body === 'string' ? init.body : undefined);
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-shutdown-'));
    for (const sub of ['logs', 'certs', 'temp']) mkdirSync(join(dir, sub));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'certs/privkey.pem'),
        '-out',
        join(dir, 'certs/fullchain.pem'),
      ]),
      { stdio: 'pipe' },
    );
    ca = readFileSync(join(dir, 'certs/fullchain.pem'), 'utf8');

    // One database and one Redis: the first instance creates the file (and the dev content key beside it),
    // the second opens the same one.
    const [one, two] = instances as [ServerProcess, ServerProcess];
    const shared = ['--redis-url', REDIS_URL];
    await one.start(shared);
    await two.start([...shared, '--database-url', join(one.dir, 'chat.db')]);

    const httpPort = await freePort();
    const httpsPort = await freePort();
    base = `https://127.0.0.1:${httpsPort}`;
    const upstreams = instances.map((p) => new URL(p.url).host);
    writeFileSync(join(dir, 'groupbuy-chat.conf'), renderConf(readFileSync(SHIPPED_CONF, 'utf8'), { upstreams, httpPort, httpsPort, dir }));
    const temp = (name: string) => `${name}_temp_path ${join(dir, 'temp', name)};`;
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        `error_log ${join(dir, 'logs/error.log')} notice;`,
        'events { worker_connections 256; }',
        'http {',
        `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
        `  include ${join(dir, 'groupbuy-chat.conf')};`,
        '}',
      ].join('\n'),
    );
    const args = [
      '-p',
      `${dir}/`,
      '-e',
      join(dir, 'logs/error.log'),
      '-c',
      join(dir, 'nginx.conf'),
      '-g',
      `daemon off; pid ${join(dir, 'nginx.pid')};`,
    ];
    execFileSync(NGINX!, ['-t', ...args], { stdio: 'pipe' });
    const child = spawn(NGINX!, args, { stdio: 'ignore' });
    nginx = child;
    nginxExit = new Promise((r) => child.once('exit', () => r()));
    process.once('exit', killNginx);
    await waitFor(
      'nginx to proxy /healthz',
      async () => (await trustingFetch(`${base}/healthz`).catch(() => null))?.status === 200,
      10_000,
    );
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    killNginx();
    await nginxExit;
    process.off('exit', killNginx);
    for (const p of instances) await p.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('tells the clients of the stopping instance to come back now; over STOMP and plain WebSocket they resume on the other from their last seq, lost 0, duplicated 0', async () => {
    const room = await createRoom(instances[0]!.url);
    const transports: [string, () => TransportFactory][] = [
      ['stomp', () => stompTransport({ WebSocket: NodeWebSocket })],
      ['ws', () => wsTransport({ WebSocket: NodeWebSocket })],
    ];
    interface Peer {
      name: string;
      session: RoomSession;
      states: { state: ConnectionState; atMs: number }[];
    }
    const peers: Peer[] = [];
    // Connected one after the other, so nginx's round robin spreads each transport over both instances.
    for (let i = 0; i < 8; i++) {
      const [kind, factory] = transports[i % 2]!;
      const name = `${kind}-${i}`;
      const token = await signedToken(name, 3600);
      const client = createChatClient({
        baseUrl: base,
        getToken: () => token,
        transport: factory(),
        fetch: trustingFetch,
        // A backoff far longer than the test waits: coming back in time proves the restart skipped it.
        reconnectInitialDelayMs: 60_000,
        reconnectMaxDelayMs: 60_000,
      });
      clients.push(client);
      const peer: Peer = { name, session: client.room(room.productId), states: [] };
      client.onState((state) => peer.states.push({ state, atMs: performance.now() }));
      peers.push(peer);
      await peer.session.ready();
      const probe = peer.session.send(`probe ${name}`);
      await waitFor(`${name}'s probe`, () => peer.session.messages.some((m) => m.clientMsgId === probe.clientMsgId && m.status === 'sent'));
    }

    // Stop the instance that holds clients of both transports (the one with more, if both do).
    const counts = await Promise.all(instances.map((p) => connectionsOf(p.url)));
    const both = counts.map((c) => ((c['stomp'] ?? 0) > 0 && (c['ws'] ?? 0) > 0 ? (c['stomp'] ?? 0) + (c['ws'] ?? 0) : 0));
    const victimIndex = both[0]! >= both[1]! ? 0 : 1;
    expect(both[victimIndex], `connections per instance: ${JSON.stringify(counts)}`).toBeGreaterThan(0);
    const [victim, survivor] = [instances[victimIndex]!, instances[1 - victimIndex]!];

    const before = peers.map((p) => `before ${p.name}`);
    for (const [i, p] of peers.entries()) p.session.send(before[i]!);
    for (const p of peers) await waitFor(`${p.name} to see every "before"`, () => before.every((c) => sentContents(p.session).includes(c)));

    const sigtermAtMs = performance.now();
    const stopping = victim.terminate();
    // Sent while one instance goes away: queued in the outbox of a client that is between instances.
    const during = peers.map((p) => `during ${p.name}`);
    for (const [i, p] of peers.entries()) p.session.send(during[i]!);
    await stopping;

    const moved = () => peers.filter((p) => p.states.some((s) => s.atMs >= sigtermAtMs && s.state !== 'open'));
    await waitFor('the stopped instance’s clients to be open again', () => moved().every((p) => p.states.at(-1)?.state === 'open'), 20_000);
    const expected = [...before, ...during];
    for (const p of peers)
      await waitFor(`${p.name} to see every message`, () => expected.every((c) => sentContents(p.session).includes(c)), 20_000);

    const resumedMs = Math.max(...moved().map((p) => p.states.at(-1)!.atMs - sigtermAtMs));
    const report = peers.map((p) => {
      const contents = sentContents(p.session).filter((c) => !c.startsWith('probe'));
      return {
        name: p.name,
        lost: expected.filter((c) => !contents.includes(c)).length,
        duplicated: contents.length - new Set(contents).size,
        ordered: strictlyOrdered(p.session),
      };
    });
    const movedNames = moved().map((p) => p.name);
    const lost = report.reduce((n, r) => n + r.lost, 0);
    const duplicated = report.reduce((n, r) => n + r.duplicated, 0);
    console.log(
      `SIGTERM of one of two instances behind nginx: ${movedNames.length} of ${peers.length} clients moved (${movedNames.join(', ')}); ` +
        `SIGTERM → all resumed ${resumedMs.toFixed(0)} ms; lost ${lost}, duplicated ${duplicated}`,
    );

    expect(movedNames.some((n) => n.startsWith('stomp'))).toBe(true);
    expect(movedNames.some((n) => n.startsWith('ws'))).toBe(true);
    expect(report.every((r) => r.ordered)).toBe(true);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    // The room's store, read from the instance that stayed, holds each message once.
    const stored = (await history(survivor.url, room.productId)).filter((m) => m.type === 'CHAT' && !m.content.startsWith('probe'));
    expect(stored.map((m) => m.content).sort()).toEqual([...expected].sort());
  });
});
