import * as ws from 'ws';
import type { Socket } from 'socket.io';
import type { Delivery } from './hub.js';
import { viewersBody, type ViewersEvent } from './wire-bytes.js';

// A Socket.IO `message` event of a stored message, encoded once per message for every socket, the way
// socket.io's own room broadcast does it (in-memory-adapter `broadcast`): the Socket.IO packet text, and the
// complete WebSocket frame of its Engine.IO packet, which engine.io's WebSocket transport writes as is.

interface Encoded {
  packets: string[];
  options: { preEncoded: true; wsPreEncodedFrame?: unknown };
}

// What socket.io's Client exposes to its adapters (socket.io 4: client.writeToEngine, used by broadcasts).
interface EngineWriter {
  writeToEngine(packets: string[], options: object): void;
}

// ws exports its Sender (ws 8), which @types/ws does not declare.
const sender = (ws as unknown as { Sender?: { frame(data: Buffer, options: object): unknown } }).Sender;
// Keyed on what every socket is handed alike: a Delivery, or a `viewers` push's capped list (one event each).
const encoded = new WeakMap<object, Encoded>();

function encode(event: string, key: object, json: string): Encoded {
  let e = encoded.get(key);
  if (e === undefined) {
    // Socket.IO protocol 5, EVENT ("2") on the main namespace: `2["event",<payload JSON>]`.
    const packet = `2[${JSON.stringify(event)},${json}]`;
    e = { packets: [packet], options: { preEncoded: true } };
    // "4": an Engine.IO message packet; the frame options are those socket.io's adapter uses.
    if (sender) {
      e.options.wsPreEncodedFrame = sender.frame(Buffer.from(`4${packet}`, 'utf8'), {
        readOnly: false,
        mask: false,
        rsv1: false,
        opcode: 1,
        fin: true,
      });
    }
    encoded.set(key, e);
  }
  return e;
}

/**
 * Sends `event` with the delivery's message to `socket`, encoded once per message for all sockets. Falls
 * back to `socket.emit` off the main namespace, or if this socket.io has no `client.writeToEngine`.
 */
export function emitDelivery(socket: Socket, event: string, d: Delivery): void {
  emitOnce(socket, event, d, d.json, d.message);
}

/** Sends `event` with a `viewers` push to `socket`, encoded once per push for all sockets (as {@link emitDelivery}). */
export function emitViewers(socket: Socket, event: string, e: ViewersEvent): void {
  emitOnce(socket, event, e.viewers, viewersBody(e).json, { roomId: e.roomId, count: e.count, viewers: e.viewers });
}

function emitOnce(socket: Socket, event: string, key: object, json: string, payload: unknown): void {
  const client = socket.client as unknown as Partial<EngineWriter>;
  if (socket.nsp.name !== '/' || typeof client.writeToEngine !== 'function') {
    socket.emit(event, payload);
    return;
  }
  const { packets, options } = encode(event, key, json);
  client.writeToEngine(packets, options);
}
