import type { Viewer } from '@groupbuy/protocol';
import type { Delivery } from './hub.js';

// The bytes every subscriber of a message is sent, encoded once per message and shared (never written to):
// a transport sends these Buffers as text frames instead of re-encoding a string for each socket.

const jsonBytes = new WeakMap<Delivery, Buffer>();

/** `delivery.json` as UTF-8, encoded on first use and shared by every subscriber. */
export function deliveryJsonBytes(delivery: Delivery): Buffer {
  let bytes = jsonBytes.get(delivery);
  if (bytes === undefined) {
    bytes = Buffer.from(delivery.json, 'utf8');
    jsonBytes.set(delivery, bytes);
  }
  return bytes;
}

/** The part of a `viewers` event every transport sends alike. */
export interface ViewersEvent {
  roomId: string;
  count: number;
  viewers: readonly Viewer[];
}

// The hub hands every subscriber of a room the same capped list per push (hub-types ViewersPush), so the
// list is the key: encoded once per push, not once per subscriber.
const viewersBodies = new WeakMap<readonly Viewer[], { json: string; bytes: number }>();

/** `{"roomId":…,"count":…,"viewers":[…]}` of a `viewers` push and its UTF-8 length, serialised once per push. */
export function viewersBody(e: ViewersEvent): { json: string; bytes: number } {
  let body = viewersBodies.get(e.viewers);
  if (body === undefined) {
    const json = JSON.stringify({ roomId: e.roomId, count: e.count, viewers: e.viewers });
    body = { json, bytes: Buffer.byteLength(json) };
    viewersBodies.set(e.viewers, body);
  }
  return body;
}

/**
 * A small cache of `make(key)` for keys that repeat across connections (STOMP subscription ids are `sub-0`,
 * `sub-1`… in every stompjs client): emptied when it reaches `max` entries, so a client choosing odd ids
 * costs a miss, never memory.
 */
export class RepeatCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly make: (key: string) => V,
    private readonly max = 1024,
  ) {}

  /** The value for `key`, made now when not cached. */
  get(key: string): V {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= this.max) this.entries.clear();
      value = this.make(key);
      this.entries.set(key, value);
    }
    return value;
  }
}

interface Corkable {
  cork(): void;
  uncork(): void;
  destroyed: boolean;
}

// Sockets corked in this turn of the event loop, uncorked together by one setImmediate.
const corked = new Set<Corkable>();
let uncorkScheduled = false;
function uncorkAll(): void {
  uncorkScheduled = false;
  for (const socket of corked) if (!socket.destroyed) socket.uncork();
  corked.clear();
}

/**
 * Holds `ws`'s writes until the end of this turn of the event loop, so the frames of several messages fanned
 * out in one turn leave in one `writev` instead of one each. `ws` keeps its TCP socket as `_socket` (ws 8);
 * without one, nothing is held.
 */
export function corkForTurn(ws: object): void {
  const socket = (ws as { _socket?: Corkable | null })._socket;
  if (!socket || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!uncorkScheduled) {
    uncorkScheduled = true;
    setImmediate(uncorkAll);
  }
}
