// Scenario 5 — server memory per idle, authenticated, subscribed connection: the server's RSS delta over
// n connections / n (5,000; quick 500), STOMP and the plain WebSocket endpoint, against bare ws sockets.
// Plain Socket.IO (the library alone) is measured too, as the floor under our Socket.IO figure.
// Rooms of 50 subscribers each (a product page's crowd), so the figure is per connection, not per viewer list.
import { pool, rssBytes, sleep, startPeer } from '../lib/proc.mjs';
import { createRoom } from '../lib/jwt.mjs';
import { bareWs, groupbuySocketIo, groupbuyStomp, groupbuyWs, plainSocketIo } from '../lib/clients.mjs';

export const title = 'memory per idle subscribed connection (server RSS delta / n)';

const PER_ROOM = 50;

async function measure(peer, n, connect, prepare, settleMs) {
  const server = await startPeer(peer);
  try {
    await prepare?.(`http://127.0.0.1:${server.port}`);
    // A few connections first, so lazily loaded code and first-use buffers are not counted per connection.
    const warm = await pool(20, 20, (i) => connect(server.port, n + i));
    await sleep(settleMs / 2);
    const before = rssBytes(server.pid);
    const sockets = await pool(n, 100, (i) => connect(server.port, i));
    await sleep(settleMs);
    const after = rssBytes(server.pid);
    for (const ws of [...warm, ...sockets]) ws.terminate();
    return { perConn: (after - before) / n, rssMB: after / 2 ** 20 };
  } finally {
    await server.stop();
  }
}

export async function run({ quick, report }) {
  const n = quick ? 500 : 5000;
  const rooms = Math.ceil((n + 20) / PER_ROOM);
  const prepare = async (base) => {
    for (let r = 0; r < rooms; r++) await createRoom(base, `mem${r}`);
  };
  const roomOf = (i) => `mem${Math.floor(i / PER_ROOM)}`;
  const settleMs = quick ? 500 : 2000;
  const bare = await measure('bare-ws', n, (port, i) => bareWs(port).sub(i, () => {}), undefined, settleMs);
  report({ scenario: 5, case: `bare ws × ${n} idle sockets`, value: bare.perConn / 1024, unit: 'KiB/conn', rssMB: bare.rssMB });
  // What the Socket.IO library costs alone (io.to(room) server, each socket in one room): the floor of our Socket.IO row.
  if (!quick) {
    const sio = await measure('socketio', n, (port, i) => plainSocketIo(port).sub(i, () => {}), undefined, settleMs);
    report({
      scenario: 5,
      case: `plain Socket.IO × ${n} idle sockets`,
      value: sio.perConn / 1024,
      unit: 'KiB/conn',
      rssMB: sio.rssMB,
      ratio: sio.perConn / bare.perConn,
      baseline: 'bare ws',
    });
  }
  const cases = [
    ['STOMP', (port, i) => groupbuyStomp(port, roomOf(i)).sub(i, () => {})],
    ['plain WS', (port, i) => groupbuyWs(port, roomOf(i)).sub(i, () => {})],
    ['Socket.IO', (port, i) => groupbuySocketIo(port, roomOf(i)).sub(i, () => {})],
  ];
  // --quick: STOMP and plain WS (Socket.IO in the full run).
  for (const [name, connect] of quick ? cases.slice(0, 2) : cases) {
    const r = await measure('groupbuy', n, connect, prepare, settleMs);
    report({
      scenario: 5,
      case: `groupbuy ${name} × ${n} (signed in, subscribed, ${PER_ROOM}/room)`,
      value: r.perConn / 1024,
      unit: 'KiB/conn',
      rssMB: r.rssMB,
      ratio: r.perConn / bare.perConn,
      baseline: 'bare ws',
    });
  }
}
