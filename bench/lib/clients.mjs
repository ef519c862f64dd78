// Cheap load-generator clients: raw WebSocket sockets (./wsraw.mjs) that speak each server's framing by hand
// (STOMP 1.2 frames, engine.io/socket.io packets, JSON lines), so one generator core can drive far more traffic
// than a server core. Each target offers sub(i, onFrame) and pub(i) → { send(content, clientMsgId) }, both
// resolving once ready; once subscribed, `onFrame(buf, start, end, receivedAt)` is called with the byte range of
// each chat message frame (the other frames of the protocol are filtered out by a prefix test on the bytes).
import { RawWebSocket } from './wsraw.mjs';
import { token } from './jwt.mjs';

/** Whether bytes [start, end) of `buf` begin with `prefix` (a Buffer). */
const startsWith = (buf, start, end, prefix) =>
  end - start >= prefix.length && buf.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
/** Whether `needle` (a Buffer) occurs in bytes [start, end) of `buf`. */
const contains = (buf, start, end, needle) => {
  const at = buf.indexOf(needle, start);
  return at >= 0 && at + needle.length <= end;
};
const STOMP_MESSAGE = Buffer.from('MESSAGE\n');
const STOMP_CHAT = Buffer.from('\nx-kind:message\n');
const SIO_MESSAGE = Buffer.from('42["message"');
const SIO_MSG = Buffer.from('42["msg"');
/** An engine.io ping ("2") taken in the fast path: answered with a pong, never passed on. */
const sioPing = (ws, buf, start, end) => end - start === 1 && buf[start] === 0x32 && (ws.send('3'), true);

// `first` (optional) is a test for a frame the server sends unasked right after the upgrade: its listener is
// attached before 'open', since that frame can arrive in the same read as the upgrade answer.
const open = (url, protocols, first) =>
  new Promise((resolve, reject) => {
    const ws = new RawWebSocket(url, protocols);
    const firstFrame = first ? waitFor(ws, first, 'first frame') : null;
    // A socket that never opens rejects through `reject` below; its first-frame timer must not crash the run.
    firstFrame?.catch(() => {});
    ws.once('open', () => resolve(firstFrame ? firstFrame.then(() => ws) : ws));
    ws.once('error', reject);
  });

/** Resolves with the first text frame for which `test` holds. */
const waitFor = (ws, test, what) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30000);
    const on = (d) => {
      const s = d.toString();
      if (!test(s)) return;
      clearTimeout(timer);
      ws.off('message', on);
      resolve(s);
    };
    ws.on('message', on);
  });

const track = (ws, state) => ws.once('close', () => state.closed++);

// STOMP 1.2 over WebSocket (the reference server's /ws and RabbitMQ Web-STOMP).
async function stompConnect(url, headers, state) {
  const ws = await open(url, ['v12.stomp']);
  track(ws, state);
  const hdr = Object.entries({ 'accept-version': '1.2', host: '/', 'heart-beat': '0,0', ...headers })
    .map(([k, v]) => `${k}:${v}`)
    .join('\n');
  const connected = waitFor(ws, (s) => s.startsWith('CONNECTED') || s.startsWith('ERROR'), 'CONNECTED');
  ws.send(`CONNECT\n${hdr}\n\n\0`);
  const first = await connected;
  if (first.startsWith('ERROR')) throw new Error(`STOMP refused: ${first.slice(0, 200)}`);
  return ws;
}
async function stompSubscribe(ws, destination) {
  const receipt = waitFor(ws, (s) => s.startsWith('RECEIPT'), 'RECEIPT');
  ws.send(`SUBSCRIBE\nid:0\ndestination:${destination}\nack:auto\nreceipt:sub\n\n\0`);
  await receipt;
}

/** The reference server over STOMP. */
export function groupbuyStomp(port, room) {
  const url = `ws://127.0.0.1:${port}/ws`;
  const state = { closed: 0 };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await stompConnect(url, { Authorization: `Bearer ${token(`s${i}`)}` }, state);
      await stompSubscribe(ws, `/topic/chat/${room}`);
      ws.onPayload = (b, s, e, at) => startsWith(b, s, e, STOMP_MESSAGE) && contains(b, s, e, STOMP_CHAT) && onFrame(b, s, e, at);
      return ws;
    },
    async pub(i) {
      const ws = await stompConnect(url, { Authorization: `Bearer ${token(`p${i}`)}` }, state);
      return { ws, send: stompSender(ws, room) };
    },
  };
}

/** send(content, clientMsgId) into `room` over a connected STOMP socket, without a receipt. */
const stompSender = (ws, room) => {
  const dest = `SEND\ndestination:/app/chat/${room}\ncontent-type:application/json\n\n`;
  return (content, id) => ws.send(`${dest}${JSON.stringify({ content, clientMsgId: id })}\0`);
};

/** The reference server's plain WebSocket endpoint /chat/{id} (publishers are subscribed too: the endpoint always is). */
export function groupbuyWs(port, room) {
  const state = { closed: 0 };
  const connect = async (user) => {
    const ws = await open(`ws://127.0.0.1:${port}/chat/${room}?token=${token(user)}&ready=1`, undefined, (s) => s.includes('"READY"'));
    track(ws, state);
    return ws;
  };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await connect(`s${i}`);
      ws.onPayload = onFrame;
      return ws;
    },
    async pub(i) {
      const ws = await connect(`p${i}`);
      return { ws, send: (content, id) => ws.send(JSON.stringify({ content, clientMsgId: id })) };
    },
  };
}

// engine.io v4 / socket.io v4 packets over a raw WebSocket: "0" open, "40{auth}" connect, "42[...]" event,
// "42<id>[...]" event with ack, "43<id>[...]" ack, "2"/"3" ping/pong.
async function sioConnect(port, auth, state) {
  const ws = await open(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, undefined, (s) => s.startsWith('0{'));
  track(ws, state);
  ws.on('message', (d) => {
    if (d.length === 1 && d[0] === 0x32) ws.send('3');
  });
  const connected = waitFor(ws, (s) => s.startsWith('40') || s.startsWith('44'), 'socket.io connect');
  ws.send(`40${JSON.stringify(auth)}`);
  const c = await connected;
  if (c.startsWith('44')) throw new Error(`socket.io refused: ${c.slice(0, 200)}`);
  return ws;
}
async function sioAck(ws, event, ...args) {
  const ack = waitFor(ws, (s) => s.startsWith('431['), `${event} ack`);
  ws.send(`421${JSON.stringify([event, ...args])}`);
  return ack;
}

/** The reference server over Socket.IO. */
export function groupbuySocketIo(port, room) {
  const state = { closed: 0 };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await sioConnect(port, { token: token(`s${i}`) }, state);
      const ack = await sioAck(ws, 'subscribe', { roomId: room });
      if (!ack.includes('"ok":true')) throw new Error(`subscribe refused: ${ack.slice(0, 200)}`);
      ws.onPayload = (b, s, e, at) => !sioPing(ws, b, s, e) && startsWith(b, s, e, SIO_MESSAGE) && onFrame(b, s, e, at);
      return ws;
    },
    async pub(i) {
      const ws = await sioConnect(port, { token: token(`p${i}`) }, state);
      return { ws, send: (content, id) => ws.send(`42${JSON.stringify(['send', { roomId: room, content, clientMsgId: id }])}`) };
    },
  };
}

/** Baseline: a plain Socket.IO server (io.to(room).emit). */
export function plainSocketIo(port) {
  const state = { closed: 0 };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await sioConnect(port, {}, state);
      await sioAck(ws, 'join', 'room');
      ws.onPayload = (b, s, e, at) => !sioPing(ws, b, s, e) && startsWith(b, s, e, SIO_MSG) && onFrame(b, s, e, at);
      return ws;
    },
    async pub() {
      const ws = await sioConnect(port, {}, state);
      return { ws, send: (content) => ws.send(`42${JSON.stringify(['msg', 'room', content])}`) };
    },
  };
}

/** Baseline: the bare ws broadcast server (peers/bare-ws.mjs). */
export function bareWs(port) {
  const state = { closed: 0 };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await open(`ws://127.0.0.1:${port}/?sub=1`);
      track(ws, state);
      ws.onPayload = onFrame;
      await new Promise((r) => setTimeout(r, 0));
      return ws;
    },
    async pub() {
      const ws = await open(`ws://127.0.0.1:${port}/`);
      track(ws, state);
      return { ws, send: (content) => ws.send(content) };
    },
  };
}

/** RabbitMQ Web-STOMP (port 15674, /ws), topic exchange. */
export function rabbitWebStomp(port = 15674) {
  const url = `ws://127.0.0.1:${port}/ws`;
  const state = { closed: 0 };
  const auth = { login: 'guest', passcode: 'guest' };
  return {
    state,
    async sub(i, onFrame) {
      const ws = await stompConnect(url, auth, state);
      await stompSubscribe(ws, '/topic/bench');
      ws.onPayload = (b, s, e, at) => startsWith(b, s, e, STOMP_MESSAGE) && onFrame(b, s, e, at);
      return ws;
    },
    async pub() {
      const ws = await stompConnect(url, auth, state);
      return { ws, send: (content) => ws.send(`SEND\ndestination:/topic/bench\ncontent-type:text/plain\n\n${content}\0`) };
    },
  };
}

/** Whether RabbitMQ Web-STOMP answers a STOMP CONNECT on `port`. */
export async function rabbitReachable(port = 15674) {
  try {
    const ws = await stompConnect(`ws://127.0.0.1:${port}/ws`, { login: 'guest', passcode: 'guest' }, { closed: 0 });
    ws.close();
    return true;
  } catch {
    return false;
  }
}

// Many rooms (scenario 2): join(i, room, onFrame) connects member i of `room`, which receives the room's
// messages and sends into it on the same socket ({ ws, send(content, clientMsgId) }); a member's own sends
// come back to it, so every message reaches each of the room's members once.
/** Room members of the bare ws server (peers/bare-ws.mjs with `?room=`). */
export function bareWsRooms(port) {
  const state = { closed: 0 };
  return {
    state,
    async join(i, room, onFrame) {
      const ws = await open(`ws://127.0.0.1:${port}/?sub=1&room=${room}`);
      track(ws, state);
      ws.onPayload = onFrame;
      return { ws, send: (content) => ws.send(content) };
    },
  };
}

/** Room members of the reference server over STOMP: subscribed to the room, sending on the same connection. */
export function groupbuyStompRooms(port) {
  const state = { closed: 0 };
  return {
    state,
    async join(i, room, onFrame) {
      const ws = await groupbuyStomp(port, room).sub(i, onFrame);
      track(ws, state);
      return { ws, send: stompSender(ws, room) };
    },
  };
}

/** Room members of the reference server's plain WebSocket endpoint (one socket per member and room). */
export function groupbuyWsRooms(port) {
  const state = { closed: 0 };
  return {
    state,
    async join(i, room, onFrame) {
      const target = groupbuyWs(port, room);
      const ws = await target.sub(i, onFrame);
      track(ws, state);
      return { ws, send: (content, id) => ws.send(JSON.stringify({ content, clientMsgId: id })) };
    },
  };
}
