import type { ChatMessage } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';

interface RoomOrder {
  /** The seq the room's subscribers should get next. */
  next: number;
  /** Messages that arrived ahead of a missing one, by seq. */
  held: Map<number, ChatMessage>;
  timer: ReturnType<typeof setTimeout> | null;
  filling: boolean;
}

/**
 * Puts each room's live messages back into seq order before they reach subscribers. With one instance
 * the bus already delivers in order and this costs a map lookup; past one machine, two instances publish
 * concurrently (and Redis pub/sub may drop a message while an instance reconnects), so a message can
 * arrive ahead of one it follows. It is held for `gapWaitMs`; if the missing one has not come by then, it
 * is read from the store, so every subscriber, even the seed's plain WebSocket hook, sees 1, 2, 3 …
 */
export class RoomSequencer {
  private readonly rooms = new Map<string, RoomOrder>();

  constructor(
    private readonly deliver: (roomId: string, message: ChatMessage) => void,
    private readonly readAfter: (roomId: string, afterSeq: number, limit: number) => Promise<ChatMessage[]>,
    private readonly logger: Logger,
    /** How long a gap may stay open before the store fills it, in ms. @default 250 */
    private readonly gapWaitMs = 250,
  ) {}

  /** Starts ordering a room whose messages up to `lastSeq` are stored (its first local subscriber arrived). */
  follow(roomId: string, lastSeq: number): void {
    if (!this.rooms.has(roomId)) this.rooms.set(roomId, { next: lastSeq + 1, held: new Map(), timer: null, filling: false });
  }

  /** Stops ordering a room (its last local subscriber left). */
  forget(roomId: string): void {
    const order = this.rooms.get(roomId);
    if (order?.timer) clearTimeout(order.timer);
    this.rooms.delete(roomId);
  }

  /** Takes a message from the bus: delivers it, and whatever it unblocks, or holds it until its gap fills. */
  push(roomId: string, message: ChatMessage): void {
    const order = this.rooms.get(roomId);
    if (!order) return; // nobody here follows the room
    if (message.seq < order.next || order.held.has(message.seq)) return; // delivered already
    if (message.seq === order.next && !order.filling) {
      this.deliver(roomId, message);
      order.next += 1;
      this.drain(roomId, order);
      return;
    }
    order.held.set(message.seq, message);
    this.armGapTimer(roomId, order);
  }

  /**
   * Reads every followed room's messages after the last one delivered from the store and delivers them:
   * the bus was away (Redis reconnected) and what it dropped meanwhile is stored. Live messages arriving
   * meanwhile are held and follow in order. `onlyRoom`: just that room (its bus subscription was confirmed).
   */
  catchUp(onlyRoom?: string): void {
    for (const [roomId, order] of this.rooms) {
      if (order.filling || (onlyRoom !== undefined && roomId !== onlyRoom)) continue;
      if (order.timer) clearTimeout(order.timer);
      void this.fill(roomId, order, Number.POSITIVE_INFINITY);
    }
  }

  /** Stops every timer. */
  close(): void {
    for (const roomId of [...this.rooms.keys()]) this.forget(roomId);
  }

  private drain(roomId: string, order: RoomOrder): void {
    for (let m = order.held.get(order.next); m; m = order.held.get(order.next)) {
      order.held.delete(order.next);
      this.deliver(roomId, m);
      order.next += 1;
    }
    if (order.held.size === 0) {
      if (order.timer) clearTimeout(order.timer);
      order.timer = null;
    } else {
      this.armGapTimer(roomId, order);
    }
  }

  private armGapTimer(roomId: string, order: RoomOrder): void {
    if (order.timer || order.filling) return;
    order.timer = setTimeout(() => void this.fill(roomId, order), this.gapWaitMs);
    order.timer.unref?.();
  }

  // `until`: the newest held message by default (later ones are on their way through the bus); everything
  // stored for a catch-up.
  private async fill(roomId: string, order: RoomOrder, until?: number): Promise<void> {
    order.timer = null;
    order.filling = true;
    try {
      const upTo = until ?? Math.max(...order.held.keys());
      while (order.next <= upTo) {
        const page = await this.readAfter(roomId, order.next - 1, Math.min(100, upTo - order.next + 1));
        if (this.rooms.get(roomId) !== order || page.length === 0) break;
        for (const m of page) {
          if (m.seq < order.next || m.seq > upTo) continue;
          order.held.delete(m.seq);
          this.deliver(roomId, m);
          order.next = m.seq + 1;
        }
      }
    } catch (err) {
      this.logger.log('warn', 'could not fill a message gap from the store', { room: roomId, error: String(err) });
    } finally {
      order.filling = false;
    }
    if (this.rooms.get(roomId) === order) this.drain(roomId, order);
  }
}
