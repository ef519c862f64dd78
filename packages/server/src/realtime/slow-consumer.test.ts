import { Agent, get, type ClientRequestArgs } from 'node:http';
import { createConnection, type NetConnectOpts, type Socket as NetSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket as IoSocket } from 'socket.io-client';
import WebSocket from 'ws';
import { DESTINATIONS, LIMITS, roomTopic, type Ack, type ChatMessage, type Room } from '@groupbuy/protocol';
import type { LogFields, LogLevel, Logger } from '../logger.js';
import { SLOW_CONSUMER_BYTES } from './slow-consumer.js';
import {
  api,
  connectStomp,
  createRoom,
  startTestServer,
  tokenFor,
  waitFor,
  type StompPeer,
  type TestServer,
} from '../test-support/harness.js';

// A reader that stops reading, on every transport, with real clients: each connects through an http.Agent
// whose (public, overridable) createConnection hands the test the TCP socket, which the test then pauses
// with net.Socket#pause() — the kernel buffers fill and the server's own queue grows, exactly as with a
// client that stopped reading. The same mechanism serves ws and socket.io-client (both take `agent`).

/** An http.Agent that keeps every TCP socket it opens, so a test can pause and resume it. */
class HoldingAgent extends Agent {
  /** The sockets opened, in order. */
  readonly held: NetSocket[] = [];

  override createConnection(options: ClientRequestArgs): NetSocket {
    const socket = createConnection(options as NetConnectOpts);
    this.held.push(socket);
    return socket;
  }
}

interface Cut {
  transport: string;
  queuedBytes: number;
}

const cuts: Cut[] = [];
const capture: Logger = {
  log(_level: LogLevel, msg: string, fields?: LogFields) {
    if (msg.endsWith('client too slow, cut') && fields)
      cuts.push({ transport: msg.split(' ')[0] ?? '', queuedBytes: Number(fields['queuedBytes']) });
  },
};

let server: TestServer;
beforeAll(async () => {
  // A send limit no flood reaches: the test is about what the server queues, not about refusing sends.
  server = await startTestServer({ rateLimit: { capacity: 1_000_000, refillMs: 1000 }, logger: capture });
});
afterAll(async () => {
  await server.dispose();
});

/** A STOMP client written by hand over `ws`, so its socket comes from `agent`; records frames by command. */
async function pausableStomp(roomId: string, agent: HoldingAgent) {
  const ws = new WebSocket(`${server.wsUrl}${DESTINATIONS.stompPath}`, ['v12.stomp'], { agent });
  const frames: string[] = [];
  let closed = false;
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text.trim()) frames.push(text.slice(0, text.indexOf('\n')));
  });
  ws.on('close', () => (closed = true));
  ws.on('error', () => undefined);
  await new Promise((resolve) => ws.once('open', resolve));
  const token = await tokenFor('slow-stomp');
  ws.send(`CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\nAuthorization:Bearer ${token}\n\n\0`);
  ws.send(`SUBSCRIBE\nid:s1\ndestination:${roomTopic(roomId)}\nreceipt:r1\n\n\0`);
  await waitFor(() => frames.includes('RECEIPT'), 10_000, 'the STOMP subscription');
  return { frames, closed: () => closed, goodbye: () => frames.includes('ERROR') };
}

/** The plain WebSocket endpoint, its socket from `agent`. */
async function pausableWs(roomId: string, agent: HoldingAgent) {
  const token = await tokenFor('slow-ws');
  const ws = new WebSocket(`${server.wsUrl}${DESTINATIONS.wsPrefix}${roomId}?token=${token}&ready=1`, { agent });
  let ready = false;
  let closeCode = 0;
  ws.on('message', (data: Buffer) => {
    if (data.length < 200 && data.toString('utf8').includes('"READY"')) ready = true;
  });
  ws.on('close', (code) => (closeCode = code));
  ws.on('error', () => undefined);
  await waitFor(() => ready, 10_000, 'the plain WebSocket READY');
  return { closed: () => closeCode !== 0, closeCode: () => closeCode };
}

/** socket.io-client over its WebSocket transport, its socket from `agent`. */
async function pausableIo(roomId: string, agent: HoldingAgent) {
  const token = await tokenFor('slow-io');
  // socket.io-client types `agent` as string | boolean (the browser build); in Node it is passed to `ws`.
  const options = { path: DESTINATIONS.socketIoPath, auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true };
  const socket: IoSocket = io(server.url, { ...options, agent: agent as unknown as string });
  const errors: string[] = [];
  let disconnected = false;
  socket.on('chat-error', (e: { error?: { code?: string } }) => errors.push(e.error?.code ?? ''));
  socket.on('disconnect', () => (disconnected = true));
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  const ack = (await socket.emitWithAck('subscribe', { roomId })) as Ack;
  expect(ack).toMatchObject({ ok: true });
  return { closed: () => disconnected, goodbye: () => errors.includes('SLOW_CONSUMER'), socket };
}

/** A reading control client on the plain WebSocket: keeps each message's send→receive time. */
async function control(roomId: string) {
  const token = await tokenFor('control');
  const ws = new WebSocket(`${server.wsUrl}${DESTINATIONS.wsPrefix}${roomId}?token=${token}&ready=1`);
  const latenciesMs: number[] = [];
  const seqs: number[] = [];
  let ready = false;
  ws.on('message', (data: Buffer) => {
    const body = JSON.parse(data.toString('utf8')) as Omit<Partial<ChatMessage>, 'type'> & { type?: string };
    if (body.type === 'READY') ready = true;
    if (typeof body.seq !== 'number' || body.type !== 'CHAT') return;
    seqs.push(body.seq);
    latenciesMs.push(Date.now() - Number((body.content ?? '').split('|')[0]));
  });
  await waitFor(() => ready, 10_000, 'the control READY');
  return { latenciesMs, seqs, close: () => ws.close() };
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;

describe('slow consumers', () => {
  it('cuts a STOMP, a plain WebSocket and a Socket.IO reader that stop reading while 20+ MB go to the room, and a reading client keeps up', async () => {
    const room: Room = await createRoom(server);
    const agent = new HoldingAgent();
    const stomp = await pausableStomp(room.productId, agent);
    const ws = await pausableWs(room.productId, agent);
    const sio = await pausableIo(room.productId, agent);
    expect(agent.held).toHaveLength(3);
    for (const socket of agent.held) socket.pause();
    const reader = await control(room.productId);
    const sender: StompPeer = await connectStomp(server, await tokenFor('flooder'));

    // ~6 KB a message (Hangul is 3 bytes in UTF-8), 3,600 of them: over 20 MB per subscriber.
    const count = 3600;
    const filler = '가'.repeat(LIMITS.contentMaxChars - 20);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    let sentBytes = 0;
    try {
      for (let i = 0; i < count; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, k) => {
            const content = `${Date.now()}|${filler}`;
            sentBytes += Buffer.byteLength(content);
            return sender.send(room.productId, { content, clientMsgId: `flood-${i + k}` });
          }),
        );
      }
      await waitFor(() => reader.seqs.length >= count, 60_000, 'the control client to receive the flood');
    } finally {
      clearInterval(sampler);
    }

    for (const transport of ['stomp', 'ws', 'socket.io']) {
      expect(server.metrics.value('groupbuy_slow_consumer_cuts_total', { transport }), transport).toBe(1);
    }
    // The control reader got every message once, in order, while the others were cut.
    expect(reader.seqs).toEqual(Array.from({ length: reader.seqs.length }, (_, i) => (reader.seqs[0] ?? 1) + i));

    for (const socket of agent.held) socket.resume();
    await waitFor(() => stomp.closed() && ws.closed() && sio.closed(), 30_000, 'the cut clients to see their sockets end');

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `slow consumers: ${mb(sentBytes)} MB sent to the room; cut at ${cuts.map((c) => `${c.transport} ${c.queuedBytes} B queued`).join(', ')} ` +
        `(limit ${SLOW_CONSUMER_BYTES} B); control p99 send→receive ${p99(reader.latenciesMs)} ms over ${reader.latenciesMs.length} messages; ` +
        `RSS growth (server and these clients in one process) ${mb(rssPeak - rssBefore)} MB; goodbye seen after resume: ` +
        `STOMP ERROR ${stomp.goodbye()}, WS close ${ws.closeCode()}, Socket.IO chat-error ${sio.goodbye()}`,
    );
    reader.close();
    sio.socket.close();
    await sender.close();
  }, 120_000);

  it('ends the SSE feed of a reader that stops reading while notices keep going out', async () => {
    const room: Room = await createRoom(server);
    const agent = new HoldingAgent();
    let received = 0;
    let ended = false;
    get(`${server.url}/api/chat/rooms/${room.productId}/events`, { agent }, (res) => {
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('close', () => (ended = true));
    });
    await waitFor(() => received > 0, 10_000, 'the first room event');
    const [socket] = agent.held;
    socket?.pause();

    const service = await tokenFor('trade-service', { role: 'service' });
    const filler = '공'.repeat(LIMITS.contentMaxChars - 20);
    let sentBytes = 0;
    const before = server.metrics.value('groupbuy_slow_consumer_cuts_total', { transport: 'sse' });
    for (let i = 0; i < 3600 && server.metrics.value('groupbuy_slow_consumer_cuts_total', { transport: 'sse' }) === before; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, () => {
          const content = `${Date.now()}|${filler}`;
          sentBytes += Buffer.byteLength(content);
          return api(server, 'POST', `/api/chat/rooms/${room.productId}/notifications`, { token: service, body: { content } });
        }),
      );
    }
    expect(server.metrics.value('groupbuy_slow_consumer_cuts_total', { transport: 'sse' })).toBe(before + 1);
    socket?.resume();
    await waitFor(() => ended, 30_000, 'the SSE stream to end');
    const cut = cuts.find((c) => c.transport === 'sse');
    console.log(
      `slow consumers (SSE): cut after ${(sentBytes / 1024 / 1024).toFixed(1)} MB of notices with ${cut?.queuedBytes ?? 0} B queued; ` +
        `the reader got ${(received / 1024 / 1024).toFixed(1)} MB before its stream ended`,
    );
  }, 120_000);
});
