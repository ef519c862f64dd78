import type { ChatMessage } from '@groupbuy/protocol';
import type { BusHandler, EphemeralEvent, MessageBus } from './types.js';

/** The single-process bus: handlers run synchronously, in publish order. */
export class MemoryBus implements MessageBus {
  private readonly handlers = new Set<BusHandler>();
  private readonly ephemeralHandlers = new Set<(event: EphemeralEvent) => void>();

  /** Delivers to every handler before resolving. */
  async publish(roomId: string, message: ChatMessage): Promise<void> {
    for (const handler of this.handlers) handler(roomId, message);
  }

  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Delivers a typing or read event to every ephemeral handler before resolving. */
  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    for (const handler of this.ephemeralHandlers) handler(event);
  }

  /** Registers an ephemeral handler; returns the function that removes it. */
  subscribeEphemeral(handler: (event: EphemeralEvent) => void): () => void {
    this.ephemeralHandlers.add(handler);
    return () => this.ephemeralHandlers.delete(handler);
  }

  /** Always reachable: it is this process. */
  async ping(): Promise<void> {}

  /** Drops every handler. */
  async close(): Promise<void> {
    this.handlers.clear();
    this.ephemeralHandlers.clear();
  }
}
