// Clients that survive a server restart the way the SDK does (scenario 6), as raw STOMP over `ws`: on a lost
// connection they retry after the SDK's own full-jitter backoff (backoffDelayMs, 500 ms first cap, 15 s
// ceiling, starting over once the server answered). A subscriber resubscribes with since-seq = the last seq
// it holds and counts what it gets: gaps (a seq skipped: lost), repeats (a seq or clientMsgId seen again:
// duplicated). The sender keeps an outbox of sends without a receipt and, on every new connection, resends
// them all with the same clientMsgId (the server stores each clientMsgId once).
import WebSocket from 'ws';
import { backoffDelayMs } from '@groupbuy/sdk';
import { token } from './jwt.mjs';

const BACKOFF = { initialDelayMs: 500, maxDelayMs: 15_000 };
const body = (frame) => frame.slice(frame.indexOf('\n\n') + 2, frame.lastIndexOf('\0'));
const header = (frame, name) => new RegExp(`\n${name}:([^\n]*)`).exec(frame)?.[1];

/**
 * A STOMP connection that reconnects forever (until stop()): `onConnected(ws)` runs on each CONNECTED,
 * `onFrame(frame)` for every other frame.
 */
function reconnecting(url, user, { onConnected, onFrame, onDown }) {
  let attempt = 0;
  let stopped = false;
  let ws = null;
  const open = () => {
    if (stopped) return;
    ws = new WebSocket(url, ['v12.stomp'], { perMessageDeflate: false });
    const socket = ws;
    socket.on('open', () => socket.send(`CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\nAuthorization:Bearer ${token(user)}\n\n\0`));
    socket.on('message', (d) => {
      const frame = d.toString();
      if (frame.startsWith('CONNECTED')) {
        attempt = 0;
        onConnected(socket);
      } else onFrame(frame);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      onDown?.();
      if (!stopped) setTimeout(open, backoffDelayMs(attempt++, BACKOFF));
    });
  };
  open();
  return {
    stop: () => {
      stopped = true;
      ws?.terminate();
    },
  };
}

/**
 * Subscriber `i` of `room`: `live` once its (re)subscription's RECEIPT came (the replay is done), `liveAt` the
 * time of the latest one; `ids` the distinct clientMsgIds received, `lost` / `duplicated` as counted.
 */
export function resumingSubscriber(port, i, room) {
  const s = { lastSeq: 0, ids: new Set(), lost: 0, duplicated: 0, truncated: 0, live: false, liveAt: 0, subscribes: 0 };
  s.conn = reconnecting(`ws://127.0.0.1:${port}/ws`, `r${i}`, {
    onConnected: (ws) => {
      s.subscribes++;
      const since = s.lastSeq > 0 ? `since-seq:${s.lastSeq}\n` : '';
      ws.send(`SUBSCRIBE\nid:0\ndestination:/topic/chat/${room}\nack:auto\n${since}receipt:sub\n\n\0`);
    },
    onFrame: (frame) => {
      if (frame.startsWith('RECEIPT')) {
        s.live = true;
        s.liveAt = performance.now();
        return;
      }
      if (!frame.startsWith('MESSAGE')) return;
      const kind = header(frame, 'x-kind');
      if (kind === 'replay-truncated') s.truncated++;
      if (kind !== 'message') return;
      const m = JSON.parse(body(frame));
      if (m.seq <= s.lastSeq) s.duplicated++;
      else {
        if (s.lastSeq > 0 && m.seq !== s.lastSeq + 1) s.lost += m.seq - s.lastSeq - 1;
        s.lastSeq = m.seq;
      }
      if (m.clientMsgId) {
        if (s.ids.has(m.clientMsgId)) s.duplicated++;
        else s.ids.add(m.clientMsgId);
      }
    },
    onDown: () => (s.live = false),
  });
  return s;
}

/** The sender: send(room, content, id) puts a send in the outbox; `acked` counts receipts; `outbox.size` what waits. */
export function resendingSender(port, user = 'storm-sender') {
  const outbox = new Map(); // clientMsgId → frame, in send order
  let ws = null;
  const s = { acked: 0, refused: 0, resent: 0, outbox };
  s.conn = reconnecting(`ws://127.0.0.1:${port}/ws`, user, {
    onConnected: (socket) => {
      ws = socket;
      for (const frame of outbox.values()) {
        s.resent++;
        socket.send(frame);
      }
    },
    onFrame: (frame) => {
      const id = header(frame, 'receipt-id');
      if (id === undefined || !outbox.has(id)) return;
      outbox.delete(id);
      if (frame.startsWith('RECEIPT')) s.acked++;
      else s.refused++;
    },
    onDown: () => (ws = null),
  });
  s.send = (room, content, id) => {
    const frame = `SEND\ndestination:/app/chat/${room}\ncontent-type:application/json\nreceipt:${id}\n\n${JSON.stringify({ content, clientMsgId: id })}\0`;
    outbox.set(id, frame);
    ws?.send(frame);
  };
  return s;
}
