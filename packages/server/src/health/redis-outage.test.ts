import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ChatMessage } from '@groupbuy/protocol';
import { RedisBus } from '../bus/redis.js';
import {
  api,
  connectStomp,
  createRoom,
  openRaw,
  startTestServer,
  tokenFor,
  TEST_SECRET,
  waitFor,
  type RawPeer,
  type StompPeer,
} from '../test-support/harness.js';
import type { HealthReport } from './readiness.js';
// By path, not as @groupbuy/testing: that package depends on this one; the module itself needs only Node.
import { ServerProcess } from '../../../testing/src/server-process.js';

/** A free loopback port (listen on 0, read it, close). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when the child exits (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** This test's own redis-server (never the shared one on 6379): no persistence, so a restart starts empty. */
class RedisProcess {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  /** Starts it and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        if (line.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}`)));
    });
  }

  /** Stops it (SIGKILL: an outage, not a maintenance window) and resolves once it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
  }
}

/** One instance: the built CLI (@groupbuy/testing's ServerProcess) on the shared SQLite file and this test's Redis. */
class Instance extends ServerProcess {
  constructor(
    databasePath: string,
    private readonly redisUrl: string,
  ) {
    super({ secret: TEST_SECRET, rateLimit: '100000/1000', tempPrefix: 'groupbuy-outage-instance-', databasePath });
  }

  /** Starts the CLI on this test's Redis and resolves when it listens. */
  override start(): Promise<void> {
    return super.start(['--redis-url', this.redisUrl]);
  }

  /** `/readyz` as the load balancer sees it. */
  async readiness(): Promise<{ status: number; body: HealthReport }> {
    const res = await fetch(`${this.url}/readyz`);
    return { status: res.status, body: (await res.json()) as HealthReport };
  }

  /** SIGTERM (graceful shutdown), wait for the exit, and delete the instance's own temp dir. */
  async stop(): Promise<void> {
    await this.terminate();
    await this.dispose();
  }
}

/** Every stored message of the room, through REST (the store is the truth). */
async function storedMessages(server: { url: string }, roomId: string): Promise<ChatMessage[]> {
  const token = await tokenFor('auditor');
  const all: ChatMessage[] = [];
  for (let after = 0; ;) {
    const res = await api(server, 'GET', `/api/chat/rooms/${roomId}/messages?after=${after}&limit=${LIMITS.historyPageMax}`, { token });
    const page = res.body as { messages: ChatMessage[]; hasMore: boolean };
    all.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) return all;
    after = last.seq;
  }
}

/** Lost and duplicated seqs of what a reader received, against the stored seqs. */
function tally(received: number[], stored: number[]): { lost: number; duplicated: number } {
  const seen = new Set(received);
  return { lost: stored.filter((s) => !seen.has(s)).length, duplicated: received.length - seen.size };
}

interface Outcome {
  clientMsgId: string;
  ok: boolean;
  code?: string;
  phase: 'before' | 'outage' | 'after';
}

// Two instances of the built CLI on one SQLite file and one Redis; STOMP clients send on both while Redis
// is killed and started again; STOMP and plain WebSocket readers on both count what they got.
describe('a Redis outage under two server processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-outage-'));
  let redis: RedisProcess;
  let one: Instance;
  let two: Instance;
  const peers: StompPeer[] = [];
  const raws: RawPeer[] = [];

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    const redisUrl = `redis://127.0.0.1:${redis.port}/0`;
    one = new Instance(join(dir, 'chat.db'), redisUrl);
    two = new Instance(join(dir, 'chat.db'), redisUrl);
    await one.start(); // one at a time: the first migrates the file and writes the content key beside it
    await two.start();
  }, 30_000);

  afterAll(async () => {
    for (const peer of peers) await peer.close();
    for (const raw of raws) raw.ws.close();
    await one?.stop();
    await two?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('fails readiness on both while Redis is down and recovers by itself; every stored send is acknowledged; lost 0, duplicated 0', async () => {
    const room = await createRoom(one);
    for (const instance of [one, two]) expect((await instance.readiness()).status).toBe(200);

    const senders = [await connectStomp(one, await tokenFor('sender-one')), await connectStomp(two, await tokenFor('sender-two'))];
    const readers = [await connectStomp(one, await tokenFor('reader-one')), await connectStomp(two, await tokenFor('reader-two'))];
    peers.push(...senders, ...readers);
    for (const peer of peers) await peer.subscribe(room.productId);
    for (const instance of [one, two]) {
      raws.push(await openRaw(instance, `/chat/${room.productId}?token=${encodeURIComponent(await tokenFor(`raw-${raws.length}`))}`));
    }

    // A plain WebSocket subscribes once it is open, a moment later: start counting once every reader hears one message.
    const receivedBy = (peer: StompPeer | RawPeer): number[] =>
      'client' in peer
        ? (peer.messages.get(room.productId) ?? []).map((m) => m.seq)
        : peer.frames.filter((f: { seq?: unknown }) => typeof f.seq === 'number').map((f: { seq: number }) => f.seq);
    const everyone: (StompPeer | RawPeer)[] = [...peers, ...raws];
    expect(await senders[0]?.send(room.productId, { content: 'warm-up', clientMsgId: 'warm-up' })).toEqual({ ok: true });
    await waitFor(() => everyone.every((peer) => receivedBy(peer).length === 1), 10_000, 'every reader to subscribe');

    const outcomes: Outcome[] = [];
    // Both senders send one after another (each waits for its acknowledgement) until stopped.
    const sendUntilStopped = (phase: Outcome['phase'], first: number) => {
      let stop = false;
      const loops = senders.map(async (sender, s) => {
        for (let i = first; !stop; i++) {
          const clientMsgId = `s${s}-${i}`;
          const result = await sender.send(room.productId, { content: `m ${clientMsgId}`, clientMsgId });
          const code = (result.error as { code?: string } | undefined)?.code ?? '?';
          outcomes.push({ clientMsgId, ok: result.ok, phase, ...(result.ok ? {} : { code }) });
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      return async () => {
        stop = true;
        await Promise.all(loops);
      };
    };
    const settledIn = (p: Outcome['phase']) => outcomes.filter((o) => o.phase === p).length;
    const audit = async () => {
      const stored = await storedMessages(one, room.productId);
      const seqs = stored.map((m) => m.seq);
      await waitFor(() => everyone.every((peer) => tally(receivedBy(peer), seqs).lost === 0), 20_000, 'every reader to catch up').catch(
        (err: unknown) => {
          const missing = everyone.map((peer) => seqs.filter((seq) => !receivedBy(peer).includes(seq)));
          console.log(`[redis outage] missing per client: ${JSON.stringify(missing)} of ${seqs.length}`);
          throw err;
        },
      );
      return stored;
    };

    let stopSending = sendUntilStopped('before', 0);
    await waitFor(() => settledIn('before') >= 20, 20_000, 'sends before the outage');
    await stopSending();
    stopSending = sendUntilStopped('outage', 1000);
    await redis.stop();
    for (const instance of [one, two]) {
      const down = await waitFor(
        async () => {
          const r = await instance.readiness();
          return r.status === 503 ? r : null;
        },
        10_000,
        'readiness to fail',
      );
      expect(down.body.status).toBe('unavailable');
      expect(down.body.components['bus']?.status).toBe('down');
      expect(down.body.components['store']?.status).toBe('ok');
    }
    await waitFor(() => settledIn('outage') >= 30, 20_000, 'sends during the outage');
    await stopSending();

    await redis.start();
    const restartedAt = performance.now();
    const backAfterMs: number[] = [];
    for (const instance of [one, two]) {
      await waitFor(async () => (await instance.readiness()).status === 200, 20_000, 'readiness to come back');
      backAfterMs.push(Math.round(performance.now() - restartedAt));
    }
    // No message since Redis returned: what the outage kept from the other instance's readers is read from
    // the store on reconnect, not left for the next message to reveal.
    await audit();

    stopSending = sendUntilStopped('after', 2000);
    await waitFor(() => settledIn('after') >= 20, 20_000, 'sends after the outage');
    await stopSending();

    const stored = await audit();
    const storedIds = new Set(stored.map((m) => m.clientMsgId));
    const storedSeqs = stored.map((m) => m.seq);
    const failedButStored = outcomes.filter((o) => !o.ok && storedIds.has(o.clientMsgId));
    const okButMissing = outcomes.filter((o) => o.ok && !storedIds.has(o.clientMsgId));
    const duringOutage = outcomes.filter((o) => o.phase === 'outage');
    const counts = everyone.map((peer, i) => ({
      client: i < peers.length ? `stomp#${i}` : `ws#${i - peers.length}`,
      ...tally(receivedBy(peer), storedSeqs),
    }));

    console.log(
      `[redis outage] time to readiness after Redis returned: ${backAfterMs.join(' ms, ')} ms (instance one, two); ` +
        `sends ${outcomes.length} (during the outage ${duringOutage.length}, acknowledged ${duringOutage.filter((o) => o.ok).length}), ` +
        `stored ${stored.length}, reported failed but stored ${failedButStored.length}, acknowledged but not stored ${okButMissing.length}; ` +
        `per client lost/duplicated: ${counts.map((c) => `${c.client} ${c.lost}/${c.duplicated}`).join(', ')}`,
    );
    expect(failedButStored).toEqual([]);
    expect(okButMissing).toEqual([]);
    expect(duringOutage.filter((o) => o.ok).length).toBeGreaterThan(0); // the outage was sent through, not around
    for (const c of counts) expect(c).toMatchObject({ lost: 0, duplicated: 0 });
  }, 120_000);
});

// One in-process instance on its own Redis: the fan-out fallback seen from inside (the counter, the sender's ack).
describe('a bus publish that fails', () => {
  it('still acknowledges the stored message, delivers it to this instance and counts groupbuy_bus_publish_errors_total', async () => {
    const redis = new RedisProcess(await freePort());
    await redis.start();
    const server = await startTestServer({ bus: await RedisBus.open({ url: `redis://127.0.0.1:${redis.port}/0` }) });
    try {
      const room = await createRoom(server);
      const sender = await connectStomp(server, await tokenFor('fs'));
      const reader = await connectStomp(server, await tokenFor('fr'));
      await sender.subscribe(room.productId);
      await reader.subscribe(room.productId);
      expect(await sender.send(room.productId, { content: 'before', clientMsgId: 'f-0' })).toEqual({ ok: true });
      await redis.stop();
      await waitFor(async () => (await api(server, 'GET', '/readyz')).status === 503, 10_000, 'readiness to fail');
      expect(await sender.send(room.productId, { content: 'during', clientMsgId: 'f-1' })).toEqual({ ok: true });
      for (const peer of [sender, reader]) {
        await waitFor(() => peer.messages.get(room.productId)?.length === 2, 10_000, 'local delivery');
        expect(peer.messages.get(room.productId)?.map((m) => [m.seq, m.clientMsgId])).toEqual([
          [1, 'f-0'],
          [2, 'f-1'],
        ]);
      }
      expect(server.metrics.value('groupbuy_bus_publish_errors_total')).toBe(1);
      await sender.close();
      await reader.close();
    } finally {
      await server.dispose();
      await redis.stop();
    }
  }, 30_000);
});
