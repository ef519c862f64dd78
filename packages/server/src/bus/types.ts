import type { ChatMessage, PrivateNotice, Viewer } from '@groupbuy/protocol';

/**
 * A room event that is not stored (issue 12): someone is typing, or a user's read position moved (for that
 * user's other connections). Fire-and-forget: one lost is healed by the next.
 */
export type EphemeralEvent =
  | { type: 'typing'; roomId: string; user: Viewer }
  | { type: 'read'; roomId: string; userId: string; seq: number }
  /** A private notice (issue 11) for every connection of `userId` in the room. */
  | { type: 'notice'; roomId: string; userId: string; notice: PrivateNotice };

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
   * Starts receiving the room's traffic on this instance (its first local subscriber arrived); resolves once
   * the bus confirmed it: what is published from then on arrives. What was published between the call and
   * the confirmation may not: the caller reads it from the store. Absent: every instance receives every room.
   */
  follow?(roomId: string): Promise<void>;
  /** Stops receiving the room's traffic (its last local subscriber left); resolves once the bus confirmed it. */
  unfollow?(roomId: string): Promise<void>;
  /**
   * Registers a listener called each time the bus is connected again after losing its connection (what
   * was published meanwhile did not arrive); returns the function that removes it. Absent: it never drops.
   */
  onReconnect?(listener: () => void): () => void;
  /**
   * Publishes an {@link EphemeralEvent} to every instance with subscribers of its room (this one included).
   * Absent: the hub delivers it to this instance's subscribers only.
   */
  publishEphemeral?(event: EphemeralEvent): Promise<void>;
  /** Registers a handler of ephemeral events; returns the function that removes it. */
  subscribeEphemeral?(handler: (event: EphemeralEvent) => void): () => void;
  /** Resolves when the bus can publish and deliver (readiness); rejects while it cannot. */
  ping(): Promise<void>;
  /** Stops delivering and releases connections. */
  close(): Promise<void>;
}
