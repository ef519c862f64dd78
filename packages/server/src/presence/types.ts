import type { Viewer } from '@groupbuy/protocol';

/**
 * Who has a room's chat open across every server instance. Each instance reports its own viewers;
 * reading merges them. The in-memory default is this instance alone; Redis carries it past one machine.
 */
export interface PresenceStore {
  /** Records this instance's current viewers of a room (an empty list removes them). */
  report(roomId: string, viewers: Viewer[]): Promise<void>;
  /** Every instance's viewers of a room, merged with `local` (this instance's), each user once. */
  list(roomId: string, local: Viewer[]): Promise<Viewer[]>;
  /**
   * Calls `listener` with a room id when another instance's viewers of that room changed (its report is
   * already readable through {@link list}). Returns the function that stops listening.
   */
  onChange(listener: (roomId: string) => void): () => void;
  /** Withdraws this instance's reports and releases connections. */
  close(): Promise<void>;
}

/** Merges viewer lists, keeping each user's first appearance. */
export function mergeViewers(lists: Viewer[][]): Viewer[] {
  const seen = new Map<string, Viewer>();
  for (const list of lists) for (const v of list) if (!seen.has(v.userId)) seen.set(v.userId, v);
  return [...seen.values()];
}

/** One instance: the hub's own list is the whole truth. */
export class LocalPresence implements PresenceStore {
  /** Nothing to share. */
  async report(): Promise<void> {}

  /** This instance's viewers. */
  async list(_roomId: string, local: Viewer[]): Promise<Viewer[]> {
    return local;
  }

  /** No other instance to hear from. */
  onChange(): () => void {
    return () => undefined;
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
