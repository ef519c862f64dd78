/**
 * Viewer pushes are coalesced: a room's subscribers hear at most one `viewers` event per this many ms,
 * carrying the list as it is when it goes out (a burst of joins and leaves is one event).
 */
export const VIEWERS_PUSH_MS = 250;

/**
 * The least time between two `viewers` pushes to a room of `count` viewers (its count at the last push): a
 * push goes to every subscriber, so a join burst in a large room costs pushes × subscribers; a "1,234
 * watching" a second or two old is as good as a fresh one.
 */
export function viewersPushIntervalMs(count: number): number {
  if (count < 100) return VIEWERS_PUSH_MS;
  return count <= 1000 ? 1000 : 2000;
}

/**
 * Which rooms are owed a `viewers` push and when it may go: every VIEWERS_PUSH_MS the owed rooms whose
 * {@link viewersPushIntervalMs} has passed since their last push are handed to `push`; the others wait for
 * a later tick. One timer for every room.
 */
export class ViewersPushSchedule {
  private readonly owed = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  // Per room with subscribers: when its last push went out and how many viewers it counted.
  private readonly last = new Map<string, { at: number; count: number }>();
  private stopped = false;

  constructor(private readonly push: (roomId: string) => void) {}

  /** The room's viewers changed (or it has a new subscriber): a push is owed. */
  owe(roomId: string): void {
    if (this.stopped) return;
    this.owed.add(roomId);
    this.timer ??= setTimeout(() => this.tick(), VIEWERS_PUSH_MS);
    this.timer.unref?.();
  }

  /** A push to the room of `count` viewers went out now. */
  pushed(roomId: string, count: number): void {
    this.last.set(roomId, { at: Date.now(), count });
  }

  /** The room has no subscribers left: its next first push goes at the next tick. */
  forget(roomId: string): void {
    this.last.delete(roomId);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    const now = Date.now();
    for (const id of [...this.owed]) {
      const last = this.last.get(id);
      if (last !== undefined && now - last.at < viewersPushIntervalMs(last.count)) continue;
      this.owed.delete(id);
      this.push(id);
    }
    if (this.owed.size > 0 && !this.stopped) {
      this.timer = setTimeout(() => this.tick(), VIEWERS_PUSH_MS);
      this.timer.unref?.();
    }
  }
}
