// The SDK after the server cut it as a slow consumer (issue 9): against the real server (@groupbuy/server on
// an ephemeral port, a real SQLite file), a client whose TCP socket stops being read while the room gets more
// than SLOW_CONSUMER_BYTES is cut; once its socket is read again it reconnects by itself and resumes from its
// last seq, with nothing lost and nothing twice.
// The reader's socket comes from an http.Agent whose createConnection the test overrides (public API), and is
// paused with net.Socket#pause(): the kernel buffers fill, then the server's queue for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, type ClientRequestArgs } from 'node:http';
import { createConnection, type NetConnectOpts, type Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '@groupbuy/protocol';
import { silentLogger, startServer, type RunningServer } from '@groupbuy/server';
import type { WebSocketLike } from './transports/shared.js';
import { wsTransport } from './transports/ws.js';
import { closeClients, testClient } from './test-support/clients.js';
import { TEST_SECRET, createRoom, devToken, waitFor } from './test-support/server.js';

/** An http.Agent that keeps the TCP sockets it opens (its public createConnection), so the test can pause one. */
class HoldingAgent extends Agent {
  /** The sockets opened, in order. */
  readonly held: NetSocket[] = [];
  /** Called as each socket is opened, with its index. */
  onOpen: (index: number) => void = () => undefined;

  override createConnection(options: ClientRequestArgs): NetSocket {
    const socket = createConnection(options as NetConnectOpts);
    this.onOpen(this.held.length);
    this.held.push(socket);
    return socket;
  }
}

let server: RunningServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-sdk-slow-'));
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: join(dir, 'chat.db'),
    jwtSecret: TEST_SECRET,
    dev: true,
    logger: silentLogger,
    // A flood the send limit never refuses: the test is about what the server queues for the reader.
    rateLimit: { capacity: 1_000_000, refillMs: 1000 },
  });
});
afterAll(async () => {
  closeClients();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a client cut as a slow consumer', () => {
  it('reconnects and recovers from its last seq with nothing lost or duplicated', async () => {
    const room = await createRoom(server.url);
    const agent = new HoldingAgent();
    // The plain-WebSocket transport on `ws` with the agent: every socket it opens is one the test holds.
    const AgentWebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { agent });
      }
    } as unknown as WebSocketLike;
    const readerToken = await devToken(server.url, 'slow-reader');
    const reader = testClient({
      baseUrl: server.url,
      getToken: () => readerToken,
      transport: wsTransport({ WebSocket: AgentWebSocket }),
    }).room(room.productId);
    const seqs: number[] = [];
    reader.on('message', (m) => {
      if (m.type === 'CHAT') seqs.push(m.seq);
    });
    await reader.ready();
    const [first] = agent.held;
    first?.pause();

    const senderToken = await devToken(server.url, 'flooder');
    const sender = testClient({
      baseUrl: server.url,
      getToken: () => senderToken,
      transport: wsTransport({ WebSocket: WebSocket as unknown as WebSocketLike }),
    }).room(room.productId);
    await sender.ready();
    // ~6 KB a message (Hangul is 3 bytes in UTF-8), in batches until the cut and a few batches past it: the
    // reader then misses fewer messages than the replay window, so its resume is a replay, not a reload.
    const filler = '가'.repeat(LIMITS.contentMaxChars - 20);
    const cuts = () => server.metrics.value('groupbuy_slow_consumer_cuts_total', { transport: 'ws' });
    let echoed = 0;
    sender.on('message', (m) => {
      if (m.type === 'CHAT') echoed += 1;
    });
    let count = 0;
    let afterCut = 0;
    while (afterCut < 4 && count < 10_000) {
      for (let k = 0; k < 50; k++) sender.send(`${count++}|${filler}`);
      const target = count;
      await waitFor('the batch to be stored', () => echoed >= target, 30_000);
      if (cuts() > 0) afterCut += 1;
    }
    expect(cuts()).toBe(1);
    let beforeReconnect = -1;
    agent.onOpen = (index) => {
      if (index === 1) beforeReconnect = seqs.length;
    };
    first?.resume();

    await waitFor('every message at the reader after its reconnect', () => seqs.length >= count, 60_000);
    expect(agent.held.length).toBeGreaterThan(1); // it reconnected on a new socket
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => (seqs[0] ?? 1) + i)); // in order, once each
    expect(cuts()).toBe(1);
    console.log(
      `slow consumer via the SDK: ${count} messages sent, the paused reader cut once; on resuming it read ${beforeReconnect} ` +
        `from the cut socket (what the kernel buffers held), reconnected and got the other ${count - beforeReconnect} by resuming from seq ` +
        `${seqs[beforeReconnect - 1] ?? 0}: lost ${count - new Set(seqs).size}, duplicated ${seqs.length - new Set(seqs).size}`,
    );
  }, 120_000);
});
