// Timers shared by every connection instead of one (or two) per socket: a Node Timeout is ~120 bytes plus its
// list, and 100,000 idle connections with a heart-beat each out and in would hold 200,000 of them (issue 10's
// memory per connection). No Node built-ins: setInterval/setTimeout are the platform's.

/** Something called on every beat of its period. */
export interface Beating {
  /** Called once per period with the time (Date.now()) of the beat. */
  beat(nowMs: number): void;
}

/**
 * One interval per distinct period (clients mostly ask the same heart-beat, so mostly one interval in all),
 * running only while it has members. A member's first beat comes within one period of joining, never later.
 */
export class SharedBeats {
  private readonly groups = new Map<number, { timer: ReturnType<typeof setInterval>; members: Set<Beating> }>();

  /** Calls `member.beat` every `periodMs` ms until {@link leave}. */
  join(periodMs: number, member: Beating): void {
    let group = this.groups.get(periodMs);
    if (!group) {
      const members = new Set<Beating>();
      const timer = setInterval(() => {
        const now = Date.now();
        for (const m of members) m.beat(now);
      }, periodMs);
      (timer as { unref?: () => void }).unref?.();
      this.groups.set(periodMs, (group = { timer, members }));
    }
    group.members.add(member);
  }

  /** Stops calling `member` on `periodMs`; the interval ends with its last member. Safe to call twice. */
  leave(periodMs: number, member: Beating): void {
    const group = this.groups.get(periodMs);
    if (!group?.members.delete(member) || group.members.size > 0) return;
    clearInterval(group.timer);
    this.groups.delete(periodMs);
  }
}

// setTimeout takes a signed 32-bit delay.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Deadlines of many items behind one timer, armed for the earliest and fired at most once per `granularityMs`
 * (@default 1000): an item is handed to `due` within that long after its deadline. Each firing scans the
 * items, so its cost is bounded by items per `granularityMs`, not items squared.
 */
export class SharedDeadlines<T> {
  private readonly items = new Map<T, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private lastFiredMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly due: (item: T) => void,
    private readonly granularityMs = 1000,
  ) {}

  /** Hands `item` to `due` once `delayMs` from now have passed, unless {@link delete}d first. */
  set(item: T, delayMs: number): void {
    // Kept as wall-clock time: the delay was computed on whatever clock the caller keeps.
    const atMs = Date.now() + delayMs;
    this.items.set(item, atMs);
    if (atMs < this.armedFor) this.arm(atMs);
  }

  /** Forgets `item`; true when it was there. */
  delete(item: T): boolean {
    return this.items.delete(item);
  }

  /** Stops the timer (the items stay, undue). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private arm(atMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    const at = Math.max(atMs, this.lastFiredMs + this.granularityMs);
    const delay = at - Date.now();
    this.armedFor = atMs;
    // Past setTimeout's range: nothing fires before the range does; re-armed on the way.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, delay), MAX_TIMER_MS));
    (this.timer as { unref?: () => void }).unref?.();
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    this.lastFiredMs = now;
    let next = Number.POSITIVE_INFINITY;
    const expired: T[] = [];
    for (const [item, at] of this.items) {
      if (at <= now) expired.push(item);
      else if (at < next) next = at;
    }
    for (const item of expired) {
      this.items.delete(item);
      this.due(item);
    }
    if (next < Number.POSITIVE_INFINITY && next < this.armedFor) this.arm(next);
  }
}
