// Issue 10's hot-path measurements, each against a baseline in the same run:
//   fan-out   STOMP deliveries/s to SUBS subscribers of one room (server in a child process, `--cpu-prof`
//             with PROFILE=1: top-5 self-time entries printed), and the same through the plain WebSocket;
//   acked     STOMP sends with receipts, 50 in flight, vs a raw SqliteStore.append loop;
//   memory    server RSS per idle subscribed STOMP connection vs a bare /chat/{room} WebSocket;
//   history   p99 of a 50-message page, AES-GCM vs plain, as the store serves recent pages repeatedly.
// Run: `node --import tsx bench/fanout-profile.mjs` from packages/server (SUBS=1000 MESSAGES=200 by default).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { benchStore } from './store.mjs';
import { SqliteStore, createAesGcmCipher, plainCipher, signToken } from '../src/index.ts';

const SUBS = Number(process.env.SUBS ?? 1000);
const MESSAGES = Number(process.env.MESSAGES ?? 200);
const ACKED = Number(process.env.ACKED ?? 3000);
const IDLE = Number(process.env.IDLE ?? 1000);
const PROFILE = process.env.PROFILE === '1';
// ONLY=fanout | acked | memory | history | io: just that phase (acked, io: with their own profile).
const ONLY = process.env.ONLY;
const secret = 'bench-secret-bench-secret-bench-secret!!';
const here = new URL('.', import.meta.url).pathname;
const out = {};

async function child(profileDir) {
  const args = ['--expose-gc', '--conditions=@groupbuy/source', '--import', 'tsx'];
  if (profileDir) args.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  const proc = spawn(process.execPath, [...args, join(here, 'fanout-server.mjs')], {
    env: { ...process.env, BENCH_SECRET: secret },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout });
  const next = () => new Promise((r) => lines.once('line', (l) => r(JSON.parse(l))));
  const { url } = await next();
  const stop = () => new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM')));
  // RSS after a full GC, in bytes, read by the server itself.
  const rss = async () => (proc.stdin.write('gc\n'), await next());
  return { url, ws: url.replace('http', 'ws'), stop, rss };
}
const tok = async (userId, role) => (await signToken({ secret }, { userId, name: userId, role })).token;
async function mkRoom(base, productId) {
  const res = await fetch(`${base}/api/chat/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tok('svc', 'service')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ productId, title: 'b', maxParticipants: 100, expiresAt: new Date(Date.now() + 3600e3).toISOString() }),
  });
  if (!res.ok) throw new Error(`room: ${res.status} ${await res.text()}`);
}
const frame = (command, headers, body = '') =>
  `${command}\n${Object.entries(headers)
    .map(([k, v]) => `${k}:${v}`)
    .join('\n')}\n\n${body}\u0000`;

// A raw STOMP client: CONNECT, optionally SUBSCRIBE (with a receipt); `onFrame(text)` for every frame after.
async function stompClient(base, userId, roomId, onFrame = () => {}) {
  const ws = new WebSocket(`${base}/ws`, ['v12.stomp'], { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const first = new Promise((r) => ws.once('message', r));
  ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'x', Authorization: `Bearer ${await tok(userId)}`, 'heart-beat': '0,0' }));
  await first;
  if (roomId) {
    const receipt = new Promise((r) => ws.once('message', r));
    ws.send(frame('SUBSCRIBE', { id: 'sub-0', destination: `/topic/chat/${roomId}`, receipt: 'r' }));
    await receipt;
  }
  ws.on('message', (d) => onFrame(d));
  return ws;
}
async function opened(n, open) {
  const all = [];
  for (let i = 0; i < n; i += 50) all.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => open(i + k)))));
  return all;
}
const closeAll = async (sockets) => {
  for (const s of sockets) s.close();
  await new Promise((r) => setTimeout(r, 300));
};

// Sends `n` messages with receipts, `inFlight` at a time; resolves with the elapsed ms.
function ackedSends(ws, roomId, n, inFlight = 50) {
  return new Promise((resolve) => {
    let sent = 0;
    let acked = 0;
    const t0 = performance.now();
    const sendOne = () => {
      const i = sent++;
      ws.send(
        frame(
          'SEND',
          { destination: `/app/chat/${roomId}`, receipt: `s${i}`, 'content-type': 'application/json' },
          JSON.stringify({ content: `message number ${i} — 공동구매 문의드립니다`, clientMsgId: `c${i}-${roomId}` }),
        ),
      );
    };
    ws.on('message', (d) => {
      if (!d.toString().startsWith('RECEIPT')) return;
      acked++;
      if (acked === n) resolve(performance.now() - t0);
      else if (sent < n) sendOne();
    });
    for (let i = 0; i < Math.min(inFlight, n); i++) sendOne();
  });
}

function topSelf(dir) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i]);
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    busy += dt;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const top = Number(process.env.TOP ?? 5);
  return [
    `busy ${((100 * busy) / total).toFixed(0)}% of the profile`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((100 * v) / busy).toFixed(1)}% ${k}`),
  ];
}

async function fanOut(srv) {
  await mkRoom(srv.url, 'fan');
  let got = 0;
  let done = () => {};
  const count = () => {
    if (++got === SUBS * MESSAGES) done();
  };
  const subs = await opened(SUBS, (i) => stompClient(srv.ws, `f${i}`, 'fan', count));
  const sender = await stompClient(srv.ws, 'sender', null);
  const all = new Promise((r) => (done = r));
  const t0 = performance.now();
  await ackedSends(sender, 'fan', MESSAGES, 50);
  await all;
  const stompMs = performance.now() - t0;
  out.stompFanout = Math.round((SUBS * MESSAGES) / (stompMs / 1000));
  await closeAll([...subs, sender]);

  await mkRoom(srv.url, 'fanws');
  got = 0;
  const toks = await Promise.all(Array.from({ length: SUBS + 1 }, (_, i) => tok(`w${i}`)));
  const wss = await opened(SUBS, async (i) => {
    const ws = new WebSocket(`${srv.ws}/chat/fanws?token=${toks[i]}&ready=1`, { perMessageDeflate: false });
    await new Promise((r) => ws.once('message', r));
    ws.on('message', count);
    return ws;
  });
  const wsSender = await stompClient(srv.ws, 'wsender', null);
  const allWs = new Promise((r) => (done = r));
  const t1 = performance.now();
  await ackedSends(wsSender, 'fanws', MESSAGES, 50);
  await allWs;
  const wsMs = performance.now() - t1;
  out.wsFanout = Math.round((SUBS * MESSAGES) / (wsMs / 1000));
  await closeAll([...wss, wsSender]);
}

// Socket.IO fan-out (websocket transport): deliveries/s to SUBS subscribers, sends from a STOMP client.
async function ioFanOut(srv) {
  await mkRoom(srv.url, 'fanio');
  let got = 0;
  let done = () => {};
  const all = new Promise((r) => (done = r));
  const toks = await Promise.all(Array.from({ length: SUBS }, (_, i) => tok(`io${i}`)));
  const sockets = await opened(SUBS, async (i) => {
    const s = io(srv.url, { auth: { token: toks[i] }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((r) => s.once('connect', r));
    s.on('message', () => {
      if (++got === SUBS * MESSAGES) done();
    });
    await s.emitWithAck('subscribe', { roomId: 'fanio' });
    return s;
  });
  const sender = await stompClient(srv.ws, 'iosender', null);
  const t0 = performance.now();
  await ackedSends(sender, 'fanio', MESSAGES, 50);
  await all;
  out.ioFanout = Math.round((SUBS * MESSAGES) / ((performance.now() - t0) / 1000));
  for (const s of sockets) s.disconnect();
  await closeAll([sender]);
}

if (ONLY === 'io') {
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'groupbuy-prof-')) : null;
  const srv = await child(profileDir);
  await ioFanOut(srv);
  await srv.stop();
  if (profileDir) {
    out.profileTop5 = topSelf(profileDir);
    if (!process.env.KEEP_PROFILE) rmSync(profileDir, { recursive: true, force: true });
    else out.profileDir = profileDir;
  }
}

// 1. Fan-out (optionally profiled), STOMP and plain WebSocket.
if (!ONLY || ONLY === 'acked' || ONLY === 'fanout') {
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'groupbuy-prof-')) : null;
  const srv = await child(profileDir);
  if (ONLY !== 'acked') await fanOut(srv);

  // 2. Acked sends vs a raw append loop (same cipher, same machine).
  await mkRoom(srv.url, 'acked');
  const one = await stompClient(srv.ws, 'acker', null);
  await ackedSends(one, 'acked', 300, 50);
  // Best of three: the machine may be shared (the figure is a rate the server can reach).
  let ackMs = Infinity;
  for (let r = 0; r < 3; r++) ackMs = Math.min(ackMs, await ackedSends(one, 'acked', ACKED, 50));
  out.ackedPerSec = Math.round(ACKED / (ackMs / 1000));
  one.close();
  await srv.stop();
  if (profileDir) {
    out.profileTop5 = topSelf(profileDir);
    if (!process.env.KEEP_PROFILE) rmSync(profileDir, { recursive: true, force: true });
    else out.profileDir = profileDir;
  }
}
if (!ONLY || ONLY === 'acked') {
  const { store, now, dispose } = await benchStore(SqliteStore, {
    productId: 'raw',
    cipher: createAesGcmCipher(randomBytes(32)),
    prefix: 'groupbuy-raw-',
  });
  const sender = { userId: 'u', name: 'U' };
  // Best of three, as the acked sends.
  let rawMs = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ACKED; i++)
      await store.append(
        'raw',
        {
          type: 'CHAT',
          sender,
          content: `message number ${i} — 공동구매 문의드립니다`,
          clientMsgId: `c${r}-${i}`,
          allowedStatuses: ['ACTIVE'],
        },
        now,
      );
    rawMs = Math.min(rawMs, performance.now() - t0);
  }
  out.rawInsertPerSec = Math.round(ACKED / (rawMs / 1000));
  out.ackedVsRaw = +(out.ackedPerSec / out.rawInsertPerSec).toFixed(2);
  await dispose();
}

// 3. Memory per idle connection (server RSS after GC), each kind in a fresh server.
async function rssPer(open) {
  const srv = await child(null);
  await mkRoom(srv.url, 'idle');
  const warm = await opened(20, (i) => open(srv, i, 'warm'));
  await closeAll(warm);
  const before = await srv.rss();
  const conns = await opened(IDLE, (i) => open(srv, i, 'idle'));
  await new Promise((r) => setTimeout(r, 500));
  const after = await srv.rss();
  await closeAll(conns);
  await srv.stop();
  return { rss: (after.rss - before.rss) / IDLE, heap: (after.heap - before.heap) / IDLE };
}
if (!ONLY || ONLY === 'memory') {
  const stomp = await rssPer((srv, i, tag) => stompClient(srv.ws, `${tag}${i}`, 'idle'));
  const bare = await rssPer(async (srv, i, tag) => {
    const ws = new WebSocket(`${srv.ws}/chat/idle?token=${await tok(`${tag}w${i}`)}&ready=1`, { perMessageDeflate: false });
    await new Promise((r) => ws.once('message', r));
    return ws;
  });
  out.rssPerStompKB = +(stomp.rss / 1024).toFixed(1);
  out.rssPerWsKB = +(bare.rss / 1024).toFixed(1);
  out.rssStompVsWs = +(stomp.rss / bare.rss).toFixed(2);
  out.heapPerStompKB = +(stomp.heap / 1024).toFixed(1);
  out.heapPerWsKB = +(bare.heap / 1024).toFixed(1);
  out.heapStompVsWs = +(stomp.heap / bare.heap).toFixed(2);
}

// 4. History: p99 of recent 50-message pages, encrypted vs plain.
async function pageP99(cipher) {
  const { store, now, dispose } = await benchStore(SqliteStore, { productId: 'h', cipher, prefix: 'groupbuy-hist-' });
  for (let i = 0; i < 2000; i++)
    await store.append(
      'h',
      {
        type: 'CHAT',
        sender: { userId: 'u', name: 'U' },
        content: `message number ${i} — 공동구매 문의드립니다`,
        allowedStatuses: ['ACTIVE'],
      },
      now,
    );
  const times = [];
  for (let n = 0; n < 4000; n++) {
    const t = performance.now();
    // Readers open the chat: mostly the latest pages, now and then one further back.
    await store.page('h', n % 10 === 9 ? { limit: 50, before: 1000 + (n % 900) } : { limit: 50, before: 2001 - 50 * (n % 3) });
    times.push(performance.now() - t);
  }
  await dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.99)];
}
if (!ONLY || ONLY === 'history') {
  const plain = await pageP99(plainCipher);
  const enc = await pageP99(createAesGcmCipher(randomBytes(32)));
  out.historyP99PlainMs = +plain.toFixed(3);
  out.historyP99EncMs = +enc.toFixed(3);
  out.historyEncVsPlain = +(enc / plain).toFixed(2);
}
console.log(JSON.stringify(out, null, 2));
