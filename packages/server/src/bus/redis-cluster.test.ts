import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { describeBusContract } from './test-support/contract.js';
import { RedisBus, parseClusterNodes } from './redis.js';

// A three-master Redis Cluster on loopback, started and torn down by this file: sharded pub/sub (SSUBSCRIBE).
const run = promisify(execFile);
// Below the ephemeral range (32768+), the cluster bus ports 1000 above.
const base = 21_000 + Math.floor(Math.random() * 7_000);
const ports = [base, base + 1, base + 2];
const nodes = ports.map((p) => `127.0.0.1:${p}`);
const dir = mkdtempSync(join(tmpdir(), 'groupbuy-redis-cluster-'));
const servers: ChildProcess[] = [];

async function clusterOk(): Promise<boolean> {
  for (const port of ports) {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']).catch(() => ({ stdout: '' }));
    if (!stdout.includes('cluster_state:ok')) return false;
  }
  return true;
}

beforeAll(async () => {
  for (const port of ports) {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--cluster-port', String(port + 1000), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    servers.push(child);
  }
  await waitFor(async () => {
    for (const port of ports) await run('redis-cli', ['-p', String(port), 'ping']);
    return true;
  });
  await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
  await waitFor(clusterOk, 20_000, 'cluster_state:ok');
}, 30_000);

afterAll(async () => {
  await Promise.all(
    servers.map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('reads host:port lists and refuses an entry without a port', () => {
    expect(parseClusterNodes('10.0.0.1:7000, redis-b:7001')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
    ]);
    expect(() => parseClusterNodes('redis-a')).toThrow(/host:port/);
  });
});

describeBusContract('redis cluster (sharded pub/sub)', async () => {
  const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
  const a = await RedisBus.open({ clusterNodes: nodes, prefix });
  const b = await RedisBus.open({ clusterNodes: nodes, prefix });
  return {
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe('two server instances over a Redis Cluster', () => {
  let one: TestServer;
  let two: TestServer;
  let busTwo: RedisBus;
  beforeAll(async () => {
    const prefix = `gbtest:${randomBytes(4).toString('hex')}:`;
    one = await startTestServer({ bus: await RedisBus.open({ clusterNodes: nodes, prefix }) });
    busTwo = await RedisBus.open({ clusterNodes: nodes, prefix });
    two = await startTestServer({ dir: one.dir, bus: busTwo });
  });
  afterAll(async () => {
    await two.close();
    await one.dispose();
  });

  it('delivers across instances in order, rooms spread over the shards, and nothing of rooms the other does not read', async () => {
    // Several rooms, so their channels land on different shards (hash slots of `{roomId}`).
    const rooms = await Promise.all(Array.from({ length: 6 }, () => createRoom(one)));
    const unread = await createRoom(one);
    const alice = await connectStomp(one, await tokenFor('alice'));
    const bob = await connectStomp(two, await tokenFor('bob'));
    for (const room of rooms) {
      await alice.subscribe(room.productId);
      await bob.subscribe(room.productId);
    }
    await alice.subscribe(unread.productId);
    const before = busTwo.messagesReceived;
    for (const room of rooms) {
      expect(await alice.send(room.productId, { content: 'from one' })).toMatchObject({ ok: true });
      expect(await bob.send(room.productId, { content: 'from two' })).toMatchObject({ ok: true });
    }
    for (let i = 0; i < 5; i++) expect((await alice.send(unread.productId, { content: `only one ${i}` })).ok).toBe(true);
    for (const peer of [alice, bob]) {
      for (const room of rooms) {
        await waitFor(() => peer.messages.get(room.productId)?.length === 2);
        expect(peer.messages.get(room.productId)!.map((m) => [m.seq, m.content])).toEqual([
          [1, 'from one'],
          [2, 'from two'],
        ]);
      }
    }
    await waitFor(() => alice.messages.get(unread.productId)?.length === 5);
    expect(busTwo.messagesReceived - before).toBe(rooms.length * 2);
    await alice.close();
    await bob.close();
  });
});
