// A minimal WebSocket client for the load generator (RFC 6455 over a plain TCP socket): one upgrade request,
// then frames parsed straight off the socket's chunks with no copy, no string and no event per frame unless
// asked. `ws` costs the generator ~10 µs per received frame (its Receiver stream, a Buffer per message, the
// 'message' event, the listener's toString); at 1,000 subscribers that made the generator, not the server,
// the limit of scenario 1. A subscriber here reads its frames as byte ranges (`onPayload`); the handshake
// frames of each protocol (CONNECTED, RECEIPT, socket.io acks) come as 'message' events like ws's.
// Server frames are never masked; ours are masked with a zero key (RFC 6455 §5.3 only asks that a key be
// sent: XOR with zeros leaves the payload as it is, so no copy is made to mask it).
import { EventEmitter } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { randomBytes } from 'node:crypto';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
const TEXT = 0x1;
const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;

// Every socket reads into this one buffer (net's `onread`: no Readable stream, no Buffer and no 'data' event per
// read); a chunk is parsed before the next read, and a split frame's bytes are copied out before it is reused.
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * An open WebSocket: `send(text | Buffer)`, `close()`, `terminate()`, events 'open', 'message' (Buffer, isBinary),
 * 'close', 'error' — the subset of `ws` the bench uses. Set `onPayload(buf, start, end, receivedAt)` to take
 * each text/binary frame as a byte range of the chunk it came in (valid only during the call) instead of a
 * 'message' event; `receivedAt` is one performance.now() per chunk.
 */
export class RawWebSocket extends EventEmitter {
  OPEN = OPEN;
  readyState = CONNECTING;
  /** Bytes received but not yet parsed (a frame split across chunks). */
  #carry = null;
  /** @type {((buf: Buffer, start: number, end: number, receivedAt: number) => void) | null} */
  onPayload = null;

  constructor(url, protocols) {
    super();
    const u = new URL(url);
    let onBytes = (chunk) => onUpgrade(chunk);
    const socket = tcpConnect({
      port: Number(u.port),
      host: u.hostname,
      onread: { buffer: READ_BUFFER, callback: (n, buf) => void onBytes(buf.subarray(0, n)) },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    const proto = protocols?.length ? `Sec-WebSocket-Protocol: ${[protocols].flat().join(', ')}\r\n` : '';
    socket.once('connect', () =>
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${proto}\r\n`,
      ),
    );
    const onUpgrade = (chunk) => {
      const all = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return void (this.#carry = Buffer.from(all));
      this.#carry = null;
      const status = all.toString('latin1', 0, all.indexOf('\r\n'));
      if (!/^HTTP\/1\.1 101 /.test(status)) {
        failed(new Error(`upgrade refused: ${status}`));
        return void socket.destroy();
      }
      onBytes = (c) => this.#read(c);
      this.readyState = OPEN;
      this.emit('open');
      if (end + 4 < all.length) this.#read(all.subarray(end + 4));
    };
    // 'error' only while connecting (the opener listens for it once); afterwards a lost socket is a 'close'.
    const failed = (err) => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = CLOSED;
      this.emit('error', err);
    };
    socket.once('error', failed);
    socket.once('close', () => {
      if (this.readyState === CONNECTING) return failed(new Error('closed before the upgrade'));
      this.readyState = CLOSED;
      this.emit('close');
    });
  }

  #read(chunk) {
    const buf = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = null;
    const fast = this.onPayload;
    const at = fast ? performance.now() : 0;
    let i = 0;
    while (buf.length - i >= 2) {
      const b1 = buf[i + 1];
      let len = b1 & 0x7f;
      let h = 2;
      if (len === 126) {
        if (buf.length - i < 4) break;
        len = buf.readUInt16BE(i + 2);
        h = 4;
      } else if (len === 127) {
        if (buf.length - i < 10) break;
        len = buf.readUInt32BE(i + 2) * 2 ** 32 + buf.readUInt32BE(i + 6);
        h = 10;
      }
      if (b1 & 0x80) h += 4; // a masking key (servers must not send one; skipped, not applied)
      if (buf.length - i < h + len) break;
      const op = buf[i] & 0x0f;
      const s = i + h;
      i = s + len;
      if (op < CLOSE) {
        if (fast) fast(buf, s, i, at);
        else this.emit('message', buf.subarray(s, i), op !== TEXT);
      } else if (op === PING) this.#frame(PONG, buf.subarray(s, i));
      else if (op === CLOSE) this.close();
    }
    if (i < buf.length) this.#carry = Buffer.from(buf.subarray(i));
  }

  #frame(op, payload) {
    const n = payload.length;
    const h = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(h + 4 + n);
    frame[0] = 0x80 | op;
    if (h === 2) frame[1] = 0x80 | n;
    else if (h === 4) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(n, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
      frame.writeUInt32BE(n >>> 0, 6);
    }
    frame.writeUInt32BE(0, h); // the zero masking key
    payload.copy(frame, h + 4);
    this.socket.write(frame);
  }

  /** Sends a text frame (a string or its UTF-8 bytes). */
  send(data) {
    if (this.readyState !== OPEN) return;
    this.#frame(TEXT, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** A close frame (1000), then the socket ends. */
  close() {
    if (this.readyState !== OPEN) return;
    this.#frame(CLOSE, Buffer.from([0x03, 0xe8]));
    this.readyState = 2;
    this.socket.end();
  }

  /** Drops the TCP connection at once. */
  terminate() {
    this.socket.destroy();
  }
}
