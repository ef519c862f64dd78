import { LIMITS, type Viewer } from '@groupbuy/protocol';

// Typing (issue 12), the SDK half: who else is typing in a room, and the throttle on "I am typing".

/**
 * Who else is typing in one room: each `typing` event keeps a name for {@link LIMITS.typingExpiryMs}; the
 * user's stored message removes it at once. `changed` fires whenever the list changes.
 */
export class TypingUsers {
  private readonly timers = new Map<string, { user: Viewer; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly changed: () => void,
    private readonly expiryMs: number = LIMITS.typingExpiryMs,
  ) {}

  /** Who is typing now, in the order they started. */
  get list(): readonly Viewer[] {
    return [...this.timers.values()].map((t) => t.user);
  }

  /** A `typing` event: `user` is typing for the next expiry window. */
  seen(user: Viewer): void {
    const known = this.timers.get(user.userId);
    if (known) clearTimeout(known.timer);
    const timer = setTimeout(() => this.drop(user.userId), this.expiryMs);
    (timer as { unref?: () => void }).unref?.();
    this.timers.set(user.userId, { user, timer });
    if (!known || known.user.name !== user.name) this.changed();
  }

  /** `userId`'s message arrived (or the user left): no longer typing. */
  drop(userId: string): void {
    const known = this.timers.get(userId);
    if (!known) return;
    clearTimeout(known.timer);
    this.timers.delete(userId);
    this.changed();
  }

  /** Forgets everyone (the subscription ended, the session was disposed). */
  clear(): void {
    if (this.timers.size === 0) return;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.changed();
  }
}

/** Lets one "I am typing" out per {@link LIMITS.typingThrottleMs}, the rest are dropped (the server drops faster ones too). */
export class TypingThrottle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly intervalMs: number = LIMITS.typingThrottleMs,
  ) {}

  /** True (and the time recorded) when a typing command may go out now. */
  take(): boolean {
    const now = this.now();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }

  /** The user sent their message: the next keystroke may say "typing" again at once. */
  reset(): void {
    this.last = Number.NEGATIVE_INFINITY;
  }
}
