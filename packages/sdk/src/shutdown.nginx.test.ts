// Graceful shutdown across instances, measured from outside: Debian's nginx with the config docs/deploy.md
// ships, two server CLIs as its upstreams (one SQLite file, the shared Redis), SDK clients over STOMP and the
// plain WebSocket through the proxy. SIGTERM one instance: its clients are told to come back now (STOMP ERROR
// with x-reconnect:now, WebSocket close 1012), the proxy sends them to the other one, and they resume from
// their last seq with nothing lost and nothing twice.
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatClient } from './client.js';
import { NGINX_PATH, startNginx, type RunningNginx } from '@groupbuy/testing/nginx';
import { ServerProcess, createRoom, history, signedToken, waitFor } from './test-support/server.js';
import { sentContents, strictlyOrdered } from './test-support/clients.js';
import type { WebSocketLike } from './transports/shared.js';
import { stompTransport } from './transports/stomp.js';
import { wsTransport } from './transports/ws.js';
import type { ChatClient, ConnectionState, RoomSession, TransportFactory } from './types.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

if (!NGINX_PATH) console.warn('shutdown.nginx.test.ts skipped: nginx is not installed (.ci/run installs it with apt-get).');

/** How many connections of each transport an instance holds, read from its own /metrics (not through nginx). */
async function connectionsOf(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^groupbuy_connections\{transport="([^"]+)"\} (\d+)/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe.skipIf(!NGINX_PATH)('SIGTERM of one of two instances behind nginx (deploy/nginx/groupbuy-chat.conf)', () => {
  let ca = '';
  let base = '';
  let nginx: RunningNginx | undefined;
  const instances = [new ServerProcess(), new ServerProcess()];
  const clients: ChatClient[] = [];

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
    // One database and one Redis: the first instance creates the file (and the dev content key beside it),
    // the second opens the same one.
    const [one, two] = instances as [ServerProcess, ServerProcess];
    const shared = ['--redis-url', REDIS_URL];
    await one.start(shared);
    await two.start([...shared, '--database-url', join(one.dir, 'chat.db')]);

    nginx = await startNginx({ upstreams: instances.map((p) => new URL(p.url).host) });
    ({ base, ca } = nginx);
    await waitFor(
      'nginx to proxy /healthz',
      async () => (await trustingFetch(`${base}/healthz`).catch(() => null))?.status === 200,
      10_000,
    );
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await nginx?.stop();
    for (const p of instances) await p.dispose();
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
