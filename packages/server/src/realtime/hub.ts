import { LIMITS, decide, roomRelation, type ChatMessage, type ErrorInfo, type Viewer } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { EphemeralEvent, MessageBus } from '../bus/types.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { PresenceStore } from '../presence/types.js';
import type { RoomService } from '../rooms/service.js';
import type { ChatStore } from '../stores/types.js';
import { ephemeralRecipient, TypingThrottle } from './ephemeral.js';
import { RoomSequencer } from './sequencer.js';
import { SharedDeadlines } from './shared-timers.js';
import { ViewersPushSchedule } from './viewers-push.js';

import type { ConnectionHandle, Delivery, HubSubscription, SubscriptionSink, ViewersPush } from './hub-types.js';

export { VIEWERS_PUSH_MS, viewersPushIntervalMs } from './viewers-push.js';
export type { ConnectionHandle, Delivery, HubSubscription, SubscriptionSink, ViewersPush } from './hub-types.js';

interface Sub extends HubSubscription {
  sink: SubscriptionSink;
  // A public feed (SSE: room state and notices) is not chat access: it is not evicted when the deal ends.
  publicFeed: boolean;
  // Non-null while the subscription must not receive live messages yet (replay in progress, or an
  // access re-check after the room closed): live deliveries wait here, in order.
  queue: Delivery[] | null;
  // How many reasons hold the queue (replay, access re-check); live delivery resumes when it drops to 0.
  holds: number;
  // Highest seq replayed: queued live messages at or below it were already delivered by the replay.
  replayedUpTo: number;
  active: boolean;
}

/**
 * Subscriptions and connections of every transport on this instance. It authorises and replays on
 * subscribe, fans bus messages out (serialised once per message), ends watchers' subscriptions when a
 * deal closes, and closes connections whose token expires.
 */
export class Hub {
  private readonly rooms = new Map<string, Set<Sub>>();
  private readonly connections = new Set<ConnectionHandle>();
  // Token expiries of every connection behind one timer (not one per connection): ended within a second.
  private readonly expiries = new SharedDeadlines<ConnectionHandle>((conn) =>
    conn.close({ code: 'UNAUTHENTICATED', message: 'Your session expired. Sign in again.' }),
  );
  private readonly unsubscribeBus: () => void;
  // Rooms whose viewers changed since the last presence report; reported together a moment later.
  private readonly presenceDirty = new Set<string>();
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  // Rooms whose subscribers are owed a `viewers` event, pushed at the cadence of their size.
  private readonly pushes = new ViewersPushSchedule((roomId) => void this.pushViewers(roomId));
  private readonly unsubscribePresence: () => void;
  private closed = false;
  private readonly sequencer: RoomSequencer;
  private readonly unsubscribeEphemeral: () => void;
  /** Typing events of one user in one room closer than LIMITS.typingThrottleMs are dropped here (ephemeral.ts). */
  readonly typingThrottle: TypingThrottle;

  constructor(
    private readonly deps: {
      service: RoomService;
      store: ChatStore;
      bus: MessageBus;
      presence: PresenceStore;
      logger: Logger;
      metrics: Metrics;
      now: () => number;
    },
  ) {
    this.sequencer = new RoomSequencer(
      (roomId, message) => this.fanOut(roomId, message),
      async (roomId, after, limit) => (await deps.store.page(roomId, { after, limit })).messages,
      deps.logger,
    );
    const unsubscribe = deps.bus.subscribe((roomId, message) => this.sequencer.push(roomId, message));
    // Back from a bus outage: read what the other instances stored meanwhile, without waiting for the next message.
    const unReconnect = deps.bus.onReconnect?.(() => this.sequencer.catchUp());
    this.unsubscribeBus = () => {
      unsubscribe();
      unReconnect?.();
    };
    this.typingThrottle = new TypingThrottle(deps.now);
    this.unsubscribeEphemeral = deps.bus.subscribeEphemeral?.((event) => this.deliverEphemeral(event)) ?? (() => undefined);
    deps.metrics.collect('groupbuy_rooms', () => this.rooms.size);
    deps.metrics.collect('groupbuy_subscriptions', () => [...this.rooms.values()].reduce((n, set) => n + set.size, 0));
    // Another instance's viewers changed: its report is readable, so our subscribers of the room hear it.
    this.unsubscribePresence = deps.presence.onChange((roomId) => {
      if (this.rooms.has(roomId)) this.schedulePush(roomId);
    });
  }

  /**
   * Tracks a connection: counts it and closes it (within a second) when its token expires. Returns the function
   * that forgets it.
   */
  register(conn: ConnectionHandle): () => void {
    if (Number.isFinite(conn.principal.expiresAtMs)) this.expiries.set(conn, conn.principal.expiresAtMs - this.deps.now());
    this.connections.add(conn);
    this.deps.metrics.gauge('groupbuy_connections', { transport: conn.transport }, 1);
    this.deps.metrics.inc('groupbuy_connections_opened_total', { transport: conn.transport });
    return () => this.forget(conn);
  }

  private forget(conn: ConnectionHandle): void {
    if (!this.connections.delete(conn)) return;
    this.expiries.delete(conn);
    this.deps.metrics.gauge('groupbuy_connections', { transport: conn.transport }, -1);
  }

  /**
   * Who has the room's chat open on this instance: each user once, in subscription order; the trade
   * service and public feeds (SSE) are not viewers.
   */
  viewers(roomId: string): Viewer[] {
    const seen = new Map<string, Viewer>();
    for (const sub of this.rooms.get(roomId) ?? []) {
      if (sub.publicFeed || sub.principal.role === 'service' || seen.has(sub.principal.userId)) continue;
      seen.set(sub.principal.userId, { userId: sub.principal.userId, name: sub.principal.name });
    }
    return [...seen.values()];
  }

  /** Who has the room's chat open on any instance (through the presence store), each user once. */
  viewersEverywhere(roomId: string): Promise<Viewer[]> {
    return this.deps.presence.list(roomId, this.viewers(roomId));
  }

  /** Open connections on this instance. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Authorises `principal` for the room (a `publicFeed` only needs the room to exist), then replays every message after `sinceSeq` (when given) and
   * goes live, with no gap and no duplicate between the two. Throws ChatError ROOM_NOT_FOUND / FORBIDDEN.
   */
  async subscribe(
    principal: Principal,
    roomId: string,
    sinceSeq: number | undefined,
    sink: SubscriptionSink,
    options: { publicFeed?: boolean } = {},
  ): Promise<HubSubscription> {
    const publicFeed = options.publicFeed ?? false;
    const room = publicFeed ? await this.deps.service.getRoom(roomId) : (await this.deps.service.authorizeRead(principal, roomId)).room;
    const sub: Sub = { roomId, principal, sink, publicFeed, queue: [], holds: 1, replayedUpTo: sinceSeq ?? 0, active: true };
    let set = this.rooms.get(roomId);
    if (!set) {
      this.rooms.set(roomId, (set = new Set()));
      this.followBus(roomId);
    }
    set.add(sub);
    this.sequencer.follow(roomId, room.lastSeq);
    this.viewersChanged(sub);
    // The funnel's first view (issue 12): a signed-in chat subscription, never a public feed. Never throws.
    if (!publicFeed) void this.deps.service.insights.viewed(principal, roomId);
    try {
      if (sinceSeq !== undefined && sinceSeq < room.lastSeq) {
        if (room.lastSeq - sinceSeq > LIMITS.replayWindow) {
          sink.replayTruncated({ roomId, sinceSeq, lastSeq: room.lastSeq });
        } else {
          await this.replay(sub, sinceSeq);
        }
      }
    } catch (err) {
      this.unsubscribe(sub);
      throw err;
    }
    this.release(sub);
    return sub;
  }

  /** Removes a subscription; safe to call twice. */
  unsubscribe(subscription: HubSubscription): void {
    const sub = subscription as Sub;
    sub.active = false;
    const set = this.rooms.get(sub.roomId);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) {
      this.rooms.delete(sub.roomId);
      this.pushes.forget(sub.roomId);
      this.sequencer.forget(sub.roomId);
      void this.deps.bus.unfollow?.(sub.roomId);
    }
    this.viewersChanged(sub);
  }

  // The room's first local subscriber (any transport): this instance starts receiving the room's bus
  // traffic. Messages published before the bus confirmed the subscription did not come through it, but
  // they were stored before being published: once it is confirmed, the sequencer reads what it lacks from
  // the store, and live messages that arrive meanwhile wait behind it, so nothing is missed or reordered.
  private followBus(roomId: string): void {
    const follow = this.deps.bus.follow?.(roomId);
    if (!follow) return;
    follow.then(
      () => {
        if (this.rooms.has(roomId)) this.sequencer.catchUp(roomId);
      },
      (err: unknown) => {
        this.deps.logger.log('warn', 'bus subscribe failed', { room: roomId, error: String(err) });
      },
    );
  }

  // Joins and leaves of viewers come in bursts (a page with several widgets, a reconnect storm): report
  // each changed room once per burst instead of once per subscription. A public feed (SSE) neither is a
  // viewer nor hears them, so its arrival changes nothing: a crowd of product-page readers would otherwise
  // cost a presence report, a presence read and an unchanged list to every chat subscriber, per burst.
  private viewersChanged(sub: Sub): void {
    if (this.closed || sub.publicFeed) return;
    const { roomId } = sub;
    this.schedulePush(roomId);
    this.presenceDirty.add(roomId);
    this.presenceTimer ??= setTimeout(() => {
      this.presenceTimer = null;
      const rooms = [...this.presenceDirty];
      this.presenceDirty.clear();
      for (const id of rooms) {
        this.deps.presence.report(id, this.viewers(id)).catch((err: unknown) => {
          this.deps.logger.log('warn', 'presence report failed', { room: id, error: String(err) });
        });
      }
    }, 50);
    this.presenceTimer.unref?.();
  }

  /**
   * A stored message the bus could not carry (RoomService's fallback): into this instance's sequencer as
   * if the bus had delivered it, so local subscribers get it once, in order.
   */
  deliverLocal(roomId: string, message: ChatMessage): void {
    this.sequencer.push(roomId, message);
  }

  // A list rather than a diff: lists from several instances merge without ordering, a lost or late event is
  // healed by the next one, and a subscriber needs no baseline read (every subscribe is followed by a push).
  private schedulePush(roomId: string): void {
    if (!this.closed) this.pushes.owe(roomId);
  }

  private async pushViewers(roomId: string): Promise<void> {
    if (!this.rooms.has(roomId)) return;
    let list: Viewer[];
    try {
      list = await this.viewersEverywhere(roomId);
    } catch (err) {
      // Without the other instances' reports, this instance's own viewers are the best list there is.
      this.deps.logger.log('warn', 'presence read failed', { room: roomId, error: String(err) });
      list = this.viewers(roomId);
    }
    const subs = this.rooms.get(roomId);
    if (this.closed || subs === undefined) return;
    this.pushes.pushed(roomId, list.length);
    // One object for every subscriber: a codec encodes it once per push (the capped list is what costs).
    const push: ViewersPush = { count: list.length, viewers: list.slice(0, LIMITS.viewersListMax) };
    for (const sub of subs) {
      // A public feed (SSE) is not told who is reading.
      if (sub.active && !sub.publicFeed) sub.sink.viewers(push);
    }
  }

  /**
   * Sends a typing or read event (issue 12) to every instance's subscribers of its room through the bus, or
   * to this instance's alone when the bus has no ephemeral channel or cannot publish now (fire-and-forget).
   */
  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    if (this.closed) return;
    if (this.deps.bus.publishEphemeral) {
      try {
        await this.deps.bus.publishEphemeral(event);
        return;
      } catch (err) {
        this.deps.logger.log('warn', 'ephemeral publish failed', { room: event.roomId, error: String(err) });
      }
    }
    this.deliverEphemeral(event);
  }

  private deliverEphemeral(event: EphemeralEvent): void {
    for (const sub of this.rooms.get(event.roomId) ?? []) {
      // A public feed (SSE) hears its own user's private notices (issue 11), not typing or read positions.
      if (!sub.active || (sub.publicFeed && event.type !== 'notice') || !ephemeralRecipient(event, sub.principal.userId)) continue;
      if (event.type === 'typing') sub.sink.typing?.(event.user);
      else if (event.type === 'notice') sub.sink.notice?.(event.notice);
      else sub.sink.read?.(event.seq);
    }
  }

  /** Server-side terminate of every connection (fault tests). */
  dropConnections(): void {
    for (const conn of [...this.connections]) conn.terminate();
  }

  /** Closes every connection with `error` (shutdown) and stops listening to the bus. */
  closeAll(error: ErrorInfo): void {
    this.closed = true;
    for (const conn of [...this.connections]) conn.close(error);
    this.expiries.stop();
    this.unsubscribeBus();
    this.unsubscribeEphemeral();
    this.unsubscribePresence();
    this.pushes.stop();
    this.sequencer.close();
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
  }

  private async replay(sub: Sub, sinceSeq: number): Promise<void> {
    let after = sinceSeq;
    for (;;) {
      const page = await this.deps.store.page(sub.roomId, { after, limit: 100 });
      for (const message of page.messages) {
        if (!sub.active) return;
        sub.sink.deliver({ message, json: JSON.stringify(message) });
        after = message.seq;
      }
      sub.replayedUpTo = after;
      if (!page.hasMore || page.messages.length === 0) return;
    }
  }

  private hold(sub: Sub): void {
    sub.holds += 1;
    sub.queue ??= [];
  }

  private release(sub: Sub): void {
    sub.holds -= 1;
    if (sub.holds > 0) return;
    const queued = sub.queue ?? [];
    sub.queue = null;
    for (const d of queued) {
      if (!sub.active) return;
      if (d.message.seq > sub.replayedUpTo) sub.sink.deliver(d);
    }
  }

  private fanOut(roomId: string, message: ChatMessage): void {
    const set = this.rooms.get(roomId);
    if (!set || set.size === 0) return;
    const delivery: Delivery = { message, json: JSON.stringify(message) };
    this.deps.metrics.inc('groupbuy_fanout_deliveries_total', {}, set.size);
    this.deps.metrics.observeDeliveryLatency(this.deps.now() - Date.parse(message.createdAt));
    for (const sub of set) {
      if (sub.queue) sub.queue.push(delivery);
      else sub.sink.deliver(delivery);
    }
    const ended = message.type === 'SYSTEM' && (message.event?.type === 'CLOSED' || message.event?.type === 'CANCELLED');
    if (ended) void this.evictWatchers(roomId, set);
  }

  // After the closing SYSTEM message, hold every subscription until we know who may stay: buyers and
  // the host keep the room, everyone else's subscription ends (their later subscribes are refused).
  private async evictWatchers(roomId: string, set: Set<Sub>): Promise<void> {
    const subs = [...set].filter((s) => s.principal.role !== 'service' && !s.publicFeed);
    for (const s of subs) this.hold(s);
    try {
      const room = await this.deps.store.getRoom(roomId);
      const buyers = new Set((await this.deps.store.participants(roomId)).map((p) => p.userId));
      for (const s of subs) {
        // The read rule of protocol rules.ts, asked of the room as it is now (no longer ACTIVE).
        const decision = room && decide(roomRelation(s.principal, room, buyers.has(s.principal.userId)), 'read', room);
        if (!decision || decision.ok) {
          this.release(s);
        } else {
          this.unsubscribe(s);
          s.sink.ended(decision.error);
        }
      }
    } catch (err) {
      this.deps.logger.log('error', 'watcher removal failed', { room: roomId, error: String(err) });
      for (const s of subs) this.release(s);
    }
  }
}
