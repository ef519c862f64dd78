import type { ChatMessage } from '@groupbuy/protocol';
import type { BusHandler, MessageBus } from './types.js';

/** The single-process bus: handlers run synchronously, in publish order. */
export class MemoryBus implements MessageBus {
  private readonly handlers = new Set<BusHandler>();

  /** Delivers to every handler before resolving. */
  async publish(roomId: string, message: ChatMessage): Promise<void> {
    for (const handler of this.handlers) handler(roomId, message);
  }

  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Always reachable: it is this process. */
  async ping(): Promise<void> {}

  /** Drops every handler. */
  async close(): Promise<void> {
    this.handlers.clear();
  }
}
