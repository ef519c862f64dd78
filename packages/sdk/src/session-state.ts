import { ROOM_ENDING_CODES, type Ack, type ErrorInfo, type Room } from '@groupbuy/protocol';

/**
 * Where a room session is in its life, as one union (lit's `TaskStatus`, not nine booleans): each variant
 * carries only what it needs, and a stale answer is recognised because the state object it started from is
 * no longer the current one.
 *
 * - `loading`: the room, the latest page and the participants are being read; `done` is what `ready()` hands
 *   out; `stale` once the connection dropped meanwhile (the first subscription then re-reads the room).
 * - `unloaded`: that load failed (the server unreachable, the room unknown); `ready()` or the next connection tries again,
 *   and when the server did not answer while the transport is open (a plain-WS transport opens no socket before the
 *   first subscribe, so no connection failure would ever come), `retry` loads again after a backoff.
 * - `paused`: loaded, with no subscription (no connection yet, or it dropped); `stale` when the room must be
 *   re-read as the next subscription starts (it was subscribed before, so it may have missed changes).
 * - `subscribing`: the subscribe command is on its way (with `sinceSeq` = the last contiguous seq).
 * - `resubscribing`: the server refused the subscription for now (rate limited, busy); `timer` subscribes again.
 * - `live`: subscribed: events arrive and the outbox flushes.
 * - `ended`: the server refused or ended this room's feed for good (`error`: a watcher of a closed deal, a
 *   room that is gone); sends fail with it and no reconnect subscribes again.
 * - `disposed`: its last holder let go, or the client closed.
 */
export type SessionState =
  | { readonly kind: 'loading'; readonly done: Promise<void>; readonly stale: boolean }
  | { readonly kind: 'unloaded'; readonly retry?: ReturnType<typeof setTimeout> }
  | { readonly kind: 'paused'; readonly stale: boolean }
  | { readonly kind: 'subscribing' }
  | { readonly kind: 'resubscribing'; readonly timer: ReturnType<typeof setTimeout> }
  | { readonly kind: 'live' }
  | { readonly kind: 'ended'; readonly error: ErrorInfo }
  | { readonly kind: 'disposed' };

/** The first wait before loading again after the server did not answer, in ms (doubled per failure up to the max). */
export const RELOAD_INITIAL_DELAY_MS = 1_000;
/** The longest wait between two loads of a server that does not answer, in ms. */
export const RELOAD_MAX_DELAY_MS = 15_000;

/** How long to wait before subscribing again after a refusal that is not final, in ms. */
export const RESUBSCRIBE_DELAY_MS = 3_000;

/** What a {@link SessionLifecycle} asks its session to do. */
export interface LifecycleHost {
  /** True while the client's transport is open and commands can be sent. */
  connectionOpen(): boolean;
  /** Reads the room, the latest page and the participants and applies them; rejects (reported) on failure. */
  load(): Promise<void>;
  /** Sends the subscribe command, from the last contiguous seq. */
  subscribe(): Promise<Ack>;
  /** Re-reads the room and the participants (best effort: never rejects). */
  refresh(): Promise<void>;
  /** The subscription is live; `room` is the one its acknowledgement carried, if any. */
  subscribed(room: Room | undefined): void;
  /** The server refused the subscription (for good when it is a room-ending code, else for now). */
  refused(error: ErrorInfo): void;
  /** The session ends while subscribed: unsubscribe (best effort). */
  unsubscribe(): void;
}

/**
 * The transitions of a {@link SessionState}: load → paused → subscribing → live, back to paused when the
 * connection drops (resubscribed from the last contiguous seq on the next one), ended for good when the
 * server says so, disposed at the end.
 */
export class SessionLifecycle {
  private current: SessionState = { kind: 'unloaded' };
  // Loads in a row that found the server unreachable (the backoff of the next `retry`).
  private unanswered = 0;

  constructor(private readonly host: LifecycleHost) {}

  /** The state now. */
  get state(): SessionState {
    return this.current;
  }

  /** True once the first load succeeded (and until disposed): events for the room are taken. */
  get loaded(): boolean {
    const kind = this.current.kind;
    return kind !== 'loading' && kind !== 'unloaded' && kind !== 'disposed';
  }

  /** True while subscribed: the outbox may flush. */
  get live(): boolean {
    return this.current.kind === 'live';
  }

  /** True once disposed. */
  get disposed(): boolean {
    return this.current.kind === 'disposed';
  }

  /** The error the room's feed ended with for good, if it did. */
  get endedWith(): ErrorInfo | undefined {
    return this.current.kind === 'ended' ? this.current.error : undefined;
  }

  /** Resolves once loaded (rejects with the load's ChatError); a failed load is tried again when asked. */
  ready(): Promise<void> {
    if (this.current.kind === 'unloaded') this.load();
    return this.current.kind === 'loading' ? this.current.done : Promise.resolve();
  }

  /** A transport is open: load (the first load failed) or resubscribe. */
  connected(): void {
    if (this.current.kind === 'unloaded') this.load();
    else void this.subscribe();
  }

  /** The transport closed: the subscription is gone, and the room must be re-read on the next one. */
  disconnected(): void {
    const was = this.current;
    if (was.kind === 'resubscribing') clearTimeout(was.timer);
    if (was.kind === 'unloaded' && was.retry !== undefined) {
      clearTimeout(was.retry);
      this.current = { kind: 'unloaded' }; // the next connection loads
    }
    if (was.kind === 'loading') this.current = { ...was, stale: true };
    else if (was.kind === 'subscribing' || was.kind === 'resubscribing' || was.kind === 'live' || was.kind === 'paused') {
      this.current = { kind: 'paused', stale: true };
    }
  }

  /** The server ended the room's feed for good. */
  end(error: ErrorInfo): void {
    if (this.current.kind === 'resubscribing') clearTimeout(this.current.timer);
    if (this.current.kind === 'unloaded' && this.current.retry !== undefined) clearTimeout(this.current.retry);
    if (this.current.kind !== 'disposed') this.current = { kind: 'ended', error };
  }

  /** Disposes: unsubscribes when live; false when it already was disposed. */
  dispose(): boolean {
    const was = this.current;
    if (was.kind === 'disposed') return false;
    this.current = { kind: 'disposed' };
    if (was.kind === 'resubscribing') clearTimeout(was.timer);
    if (was.kind === 'unloaded' && was.retry !== undefined) clearTimeout(was.retry);
    if (was.kind === 'live' && this.host.connectionOpen()) this.host.unsubscribe();
    return true;
  }

  /** Starts a load (the session's first, or again after a failed one). */
  load(): void {
    if (this.current.kind === 'unloaded' && this.current.retry !== undefined) clearTimeout(this.current.retry);
    const done = this.runLoad();
    done.catch(() => {}); // reported by the session as an 'error' event; ready() hands it to whoever asks
    this.current = { kind: 'loading', done, stale: false };
  }

  private async runLoad(): Promise<void> {
    try {
      await this.host.load();
    } catch (err) {
      if (this.current.kind === 'loading') this.current = { kind: 'unloaded', ...this.retryIfUnanswered(err) };
      throw err;
    }
    this.unanswered = 0;
    if (this.current.kind !== 'loading') return; // disposed meanwhile
    this.current = { kind: 'paused', stale: this.current.stale };
    if (this.host.connectionOpen()) void this.subscribe();
  }

  // The server did not answer the load while the transport is open: nothing else would try again (a
  // connection that opens no socket before a subscribe never fails), so the load does, after a backoff.
  private retryIfUnanswered(err: unknown): { retry?: ReturnType<typeof setTimeout> } {
    if ((err as { code?: unknown } | null)?.code !== 'UNAVAILABLE' || !this.host.connectionOpen()) return {};
    const delay = Math.min(RELOAD_MAX_DELAY_MS, RELOAD_INITIAL_DELAY_MS * 2 ** this.unanswered++);
    const retry = setTimeout(
      () => {
        if (this.current.kind === 'unloaded' && this.current.retry === retry) this.load();
      },
      delay * (0.75 + Math.random() * 0.5),
    );
    (retry as { unref?: () => void }).unref?.();
    return { retry };
  }

  private async subscribe(): Promise<void> {
    const was = this.current;
    if (!this.host.connectionOpen()) return;
    if (was.kind !== 'paused' && was.kind !== 'resubscribing' && was.kind !== 'subscribing' && was.kind !== 'live') return;
    if (was.kind === 'resubscribing') clearTimeout(was.timer);
    const attempt: SessionState = { kind: 'subscribing' };
    this.current = attempt;
    let ack: Ack;
    try {
      [ack] = await Promise.all([this.host.subscribe(), was.kind === 'paused' && was.stale ? this.host.refresh() : undefined]);
    } catch {
      return; // the connection dropped; the next one resubscribes
    }
    if (this.current !== attempt) {
      // Disposed while the subscribe was on its way: the server now holds a subscription nobody wants.
      if (ack.ok && this.state.kind === 'disposed' && this.host.connectionOpen()) this.host.unsubscribe();
      return; // dropped, ended or disposed meanwhile
    }
    if (!ack.ok) {
      if (ROOM_ENDING_CODES.has(ack.error.code)) this.current = { kind: 'ended', error: ack.error };
      else {
        // Not final (rate limited, the server busy or refusing for now): try again rather than sit
        // "open" with no live feed and sends that never leave the outbox.
        const timer = setTimeout(() => void this.subscribe(), ack.error.retryAfterMs ?? RESUBSCRIBE_DELAY_MS);
        (timer as { unref?: () => void }).unref?.();
        this.current = { kind: 'resubscribing', timer };
      }
      this.host.refused(ack.error);
      return;
    }
    this.current = { kind: 'live' };
    this.host.subscribed(ack.room);
  }
}
