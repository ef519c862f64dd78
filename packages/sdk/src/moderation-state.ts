import { sendWait, type ErrorInfo, type PrivateNotice, type Refused, type SendGate } from '@groupbuy/protocol';
import type { ModerationHost } from './moderation.js';
import type { RoomSessionEvents } from './types.js';

// setTimeout's delay is a signed 32-bit number of ms: a later expiry is re-checked after this long.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The user's own waits in one room (issue 11): the mute and slow mode's cooldown, decided by the protocol's
 * `sendWait` (never re-derived here), with the `moderation` event on every change and a timer that clears each
 * when it passes. Loaded by {@link Moderation} on first need.
 */
export class ModerationState {
  // When the user's mute ends on the server's clock, or null.
  private muteUntilMs: number | null = null;
  // A RATE_LIMITED refusal's end, on this device's clock (the server may know of a send this client did not see).
  private refusedUntil: number | null = null;
  private reported: RoomSessionEvents['moderation'] = { mutedUntil: null, cooldownUntil: null };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  /**
   * @param host the session's moderation host.
   * @param lastChatAtMs when the user's last CHAT message was stored, on the server's clock, or null.
   */
  constructor(
    private readonly host: ModerationHost,
    private readonly lastChatAtMs: () => number | null,
  ) {}

  /** When the user's mute ends (ISO-8601, server clock), or null when they are not muted. */
  get mutedUntil(): string | null {
    const until = this.muteUntilMs;
    return until !== null && until > this.host.serverNowMs() ? new Date(until).toISOString() : null;
  }

  /** Epoch ms on this device's clock until which slow mode refuses the user's next send, or null. */
  get cooldownUntil(): number | null {
    const room = this.host.room();
    const now = Date.now();
    // Off, or the user is exempt (a send right after their last one would go).
    if (
      !room ||
      room.slowModeMs <= 0 ||
      this.wait({ muteUntilMs: null, slowModeMs: room.slowModeMs, lastChatAtMs: this.host.serverNowMs() }) === null
    ) {
      return null;
    }
    const wait = this.wait({ muteUntilMs: null, slowModeMs: room.slowModeMs, lastChatAtMs: this.lastChatAtMs() });
    const fromRule = wait?.error.retryAfterMs === undefined ? null : now + wait.error.retryAfterMs;
    const refused = this.refusedUntil !== null && this.refusedUntil > now ? this.refusedUntil : null;
    if (fromRule === null) return refused;
    return refused === null ? fromRule : Math.max(fromRule, refused);
  }

  /** MUTED or RATE_LIMITED (with `retryAfterMs`) while a mute or the cooldown runs, else undefined. */
  refusal(): ErrorInfo | undefined {
    const room = this.host.room();
    const wait = room ? this.wait({ muteUntilMs: this.muteUntilMs, slowModeMs: room.slowModeMs, lastChatAtMs: this.lastChatAtMs() }) : null;
    return wait ? { ...wait.error } : undefined;
  }

  /** MUTED and UNMUTED set the mute (the caller emits the notice itself). */
  notice(notice: PrivateNotice): void {
    if (notice.kind === 'MUTED') {
      const until = Date.parse(notice.until);
      this.muteUntilMs = Number.isFinite(until) ? until : null;
    } else if (notice.kind === 'UNMUTED') this.muteUntilMs = null;
  }

  /** A MUTED or RATE_LIMITED refusal's `retryAfterMs` says how long the user must wait. */
  refused(error: ErrorInfo): void {
    const after = error.retryAfterMs;
    if (after === undefined || after <= 0) return;
    if (error.code === 'MUTED') this.muteUntilMs = this.host.serverNowMs() + after;
    else if (error.code === 'RATE_LIMITED') this.refusedUntil = Date.now() + after;
  }

  /**
   * Emits `moderation` when either value differs from the last one emitted, and arms the timer that clears
   * them when they pass.
   */
  changed(): void {
    if (this.closed) return;
    const now = { mutedUntil: this.mutedUntil, cooldownUntil: this.cooldownUntil };
    clearTimeout(this.timer);
    this.timer = undefined;
    const ends = [
      now.mutedUntil === null ? null : Date.parse(now.mutedUntil) - this.host.serverNowMs(),
      now.cooldownUntil === null ? null : now.cooldownUntil - Date.now(),
    ];
    const next = Math.min(...ends.filter((ms): ms is number => ms !== null));
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.changed(), Math.min(Math.max(next, 0) + 1, MAX_TIMER_MS));
    if (now.mutedUntil === this.reported.mutedUntil && now.cooldownUntil === this.reported.cooldownUntil) return;
    this.reported = now;
    this.host.emit('moderation', { ...now });
  }

  /** The session is gone: no timer, no more events. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  // The protocol's wait for a send now, or null when it may go: only when every relation the user may
  // turn out to have must wait (the seller and the service never do).
  private wait(gate: SendGate): Refused | null {
    const now = this.host.serverNowMs();
    // The offset is measured to ±0.5 s: a message the server stored is never in its future.
    const last = gate.lastChatAtMs === null ? null : Math.min(gate.lastChatAtMs, now);
    const waits = this.host.relations().map((relation) => sendWait(relation, { ...gate, lastChatAtMs: last }, now));
    const first = waits[0];
    return first && waits.every((w) => w !== null) ? first : null;
  }
}
