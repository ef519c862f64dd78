// Server benchmarks. Each measures a candidate against a baseline in the same run and reports the ratio,
// so the numbers mean the same on any machine. Run with `pnpm bench` (builds first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { benchStore } from './store.mjs';
import { SqliteStore, createAesGcmCipher, plainCipher, startServer, signToken, silentLogger } from '../dist/index.js';

const results = [];
const report = (name, candidate, baseline, unit, better) => {
  const ratio = candidate / baseline;
  results.push({ name, candidate: +candidate.toFixed(2), baseline: +baseline.toFixed(2), unit, ratio: +ratio.toFixed(3), better });
};
const tmp = () => mkdtempSync(join(tmpdir(), 'groupbuy-bench-'));

// 1. Storage: appends per second with AES-GCM content encryption vs plain text.
async function appendRate(cipher, n = 5000) {
  const { store, now, dispose } = await benchStore(SqliteStore, { productId: 'bench', cipher });
  const sender = { userId: 'u', name: 'U' };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await store.append(
      'bench',
      { type: 'CHAT', sender, content: `message number ${i} — 공동구매 문의드립니다`, clientMsgId: `c${i}`, allowedStatuses: ['ACTIVE'] },
      now,
    );
  }
  const rate = n / ((performance.now() - t0) / 1000);
  await dispose();
  return rate;
}
{
  await appendRate(plainCipher, 500); // warm-up
  const plain = await appendRate(plainCipher);
  const enc = await appendRate(createAesGcmCipher(randomBytes(32)));
  report('sqlite append rate, encrypted vs plain', enc, plain, 'msg/s', 'higher');
}

// 2. History: a page of 50 (decrypting) vs the same page without encryption.
async function pageRate(cipher) {
  const { store, now, dispose } = await benchStore(SqliteStore, { productId: 'bench', cipher });
  for (let i = 0; i < 2000; i++)
    await store.append('bench', { type: 'CHAT', sender: { userId: 'u', name: 'U' }, content: `m${i}`, allowedStatuses: ['ACTIVE'] }, now);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 1000) {
    await store.page('bench', { limit: 50, before: 1000 + (n % 900) });
    n++;
  }
  await dispose();
  return n / ((performance.now() - t0) / 1000);
}
{
  const plain = await pageRate(plainCipher);
  const enc = await pageRate(createAesGcmCipher(randomBytes(32)));
  report('history page (50) rate, encrypted vs plain', enc, plain, 'pages/s', 'higher');
}

// 3. Realtime end to end: STOMP send → everyone in the room has it, vs the plain WebSocket endpoint.
const dir = tmp();
const secret = 'bench-secret-bench-secret-bench-secret!!';
const server = await startServer({
  port: 0,
  databaseUrl: join(dir, 'chat.db'),
  jwtSecret: secret,
  logger: silentLogger,
  rateLimit: { capacity: 1e9, refillMs: 1 },
});
const wsBase = server.url.replace('http', 'ws');
const tok = async (userId, role) => (await signToken({ secret }, { userId, name: userId, role })).token;
const svc = await tok('svc', 'service');
const mkRoom = async (productId) => {
  await fetch(`${server.url}/api/chat/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${svc}`, 'content-type': 'application/json' },
    body: JSON.stringify({ productId, title: 'b', maxParticipants: 100, expiresAt: new Date(Date.now() + 3600e3).toISOString() }),
  });
};
const RECEIVERS = 20;
const MESSAGES = 500;

async function stompRun(roomId) {
  await mkRoom(roomId);
  const clients = [];
  let received = 0;
  for (let i = 0; i < RECEIVERS + 1; i++) {
    const token = await tok(`s${i}`);
    const c = new Client({
      webSocketFactory: () => new WebSocket(`${wsBase}/ws`, ['v12.stomp']),
      connectHeaders: { Authorization: `Bearer ${token}` },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
    });
    await new Promise((r) => {
      c.onConnect = r;
      c.activate();
    });
    if (i > 0)
      await new Promise((r) => {
        c.watchForReceipt(`sub${i}`, r);
        c.subscribe(`/topic/chat/${roomId}`, () => received++, { receipt: `sub${i}` });
      });
    clients.push(c);
  }
  const sender = clients[0];
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++)
    sender.publish({ destination: `/app/chat/${roomId}`, body: JSON.stringify({ content: `m${i}`, clientMsgId: `c${i}` }) });
  while (received < MESSAGES * RECEIVERS) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - t0;
  await Promise.all(clients.map((c) => c.deactivate()));
  return ms;
}
async function wsRun(roomId) {
  await mkRoom(roomId);
  let received = 0;
  const sockets = [];
  for (let i = 0; i < RECEIVERS + 1; i++) {
    const ws = new WebSocket(`${wsBase}/chat/${roomId}?token=${await tok(`w${i}`)}`);
    await new Promise((r) => ws.on('open', r));
    if (i > 0) ws.on('message', () => received++);
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) sockets[0].send(JSON.stringify({ content: `m${i}`, clientMsgId: `c${i}` }));
  while (received < MESSAGES * RECEIVERS) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - t0;
  for (const s of sockets) s.close();
  return ms;
}
async function ioRun(roomId) {
  await mkRoom(roomId);
  let received = 0;
  const sockets = [];
  for (let i = 0; i < RECEIVERS + 1; i++) {
    const s = io(server.url, { auth: { token: await tok(`i${i}`) }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((r) => s.on('connect', r));
    if (i > 0) {
      s.on('message', () => received++);
      await s.emitWithAck('subscribe', { roomId });
    }
    sockets.push(s);
  }
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) sockets[0].emit('send', { roomId, content: `m${i}`, clientMsgId: `c${i}` });
  while (received < MESSAGES * RECEIVERS) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - t0;
  for (const s of sockets) s.disconnect();
  return ms;
}
{
  await ioRun('warm-io');
  const ws = await wsRun('bench-ws-io');
  const sio = await ioRun('bench-io');
  report(`fan-out ${MESSAGES} msgs to ${RECEIVERS} receivers: Socket.IO vs plain WS (time)`, sio, ws, 'ms', 'lower');
}
{
  await wsRun('warm-ws');
  await stompRun('warm-stomp');
  const ws = await wsRun('bench-ws');
  const stomp = await stompRun('bench-stomp');
  report(`fan-out ${MESSAGES} msgs to ${RECEIVERS} receivers: STOMP vs plain WS (time)`, stomp, ws, 'ms', 'lower');
}

// 4. Memory per idle connection: STOMP (with a room subscription) vs plain WS.
async function heapPerConnection(open, n = 300) {
  // Without a collection before each reading the difference is noise (it came out negative): refuse to guess.
  if (!global.gc) throw new Error('the heap case needs node --expose-gc (pnpm bench passes it)');
  global.gc();
  const before = process.memoryUsage().heapUsed;
  const conns = [];
  for (let i = 0; i < n; i++) conns.push(await open(i));
  await new Promise((r) => setTimeout(r, 200));
  global.gc();
  const after = process.memoryUsage().heapUsed;
  for (const c of conns) c.close();
  await new Promise((r) => setTimeout(r, 200));
  return (after - before) / n;
}
{
  await mkRoom('mem');
  const wsTokens = await Promise.all(Array.from({ length: 300 }, (_, i) => tok(`mw${i}`)));
  const stTokens = await Promise.all(Array.from({ length: 300 }, (_, i) => tok(`ms${i}`)));
  const ws = await heapPerConnection(async (i) => {
    const s = new WebSocket(`${wsBase}/chat/mem?token=${wsTokens[i]}`);
    await new Promise((r) => s.on('open', r));
    return s;
  });
  const stomp = await heapPerConnection(async (i) => {
    const c = new Client({
      webSocketFactory: () => new WebSocket(`${wsBase}/ws`, ['v12.stomp']),
      connectHeaders: { Authorization: `Bearer ${stTokens[i]}` },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
    });
    await new Promise((r) => {
      c.onConnect = r;
      c.activate();
    });
    c.subscribe('/topic/chat/mem', () => {});
    return { close: () => c.deactivate() };
  });
  report('heap per idle connection (client+server, one process): STOMP vs plain WS', stomp, ws, 'bytes', 'lower');
}

await server.close();
rmSync(dir, { recursive: true, force: true });

console.log('\n@groupbuy/server benchmarks (ratio = candidate / baseline, same run)\n');
console.table(results);
