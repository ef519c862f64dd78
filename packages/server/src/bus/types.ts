import type { ChatMessage } from '@groupbuy/protocol';

/** Receives every message published on the bus, from this instance or another. */
export type BusHandler = (roomId: string, message: ChatMessage) => void;

/**
 * Fans stored messages out to every server instance. The in-memory bus is the default; Redis carries it
 * past one machine behind the same interface. Delivery order per room follows publish order.
 */
export interface MessageBus {
  /** Publishes a stored message to every instance (this one included). */
  publish(roomId: string, message: ChatMessage): Promise<void>;
  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: BusHandler): () => void;
  /**
   * Registers a listener called each time the bus is connected again after losing its connection (what
   * was published meanwhile did not arrive); returns the function that removes it. Absent: it never drops.
   */
  onReconnect?(listener: () => void): () => void;
  /** Resolves when the bus can publish and deliver (readiness); rejects while it cannot. */
  ping(): Promise<void>;
  /** Stops delivering and releases connections. */
  close(): Promise<void>;
}
