import type { ErrorInfo, PrivateNotice, Viewer } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { ConnectionSession, SessionTransport } from './connection.js';
import type { ConnectionHandle, Delivery, HubSubscription, SubscriptionSink, ViewersPush } from './hub-types.js';

// The small objects a ConnectionSession hands the hub. No Node built-ins (see connection.ts).

// One object per subscription is its entry in the session and the hub's sink for it: prototype methods, not
// seven closures per subscription (issue 10's memory per connection).
/** A subscription of a session: its entry there and the hub's sink for it. */
export class Entry implements SubscriptionSink {
  hubSub: HubSubscription | null = null;

  constructor(
    private readonly session: ConnectionSession,
    readonly key: string,
    readonly roomId: string,
  ) {}

  deliver(delivery: Delivery): void {
    this.session.deliverTo(this.key, delivery);
  }
  replayTruncated(info: { roomId: string; sinceSeq: number; lastSeq: number }): void {
    this.session.notify(this.key, { type: 'replay-truncated', ...info });
  }
  viewers(push: ViewersPush): void {
    this.session.notify(this.key, { type: 'viewers', roomId: this.roomId, count: push.count, viewers: push.viewers });
  }
  typing(user: Viewer): void {
    this.session.notify(this.key, { type: 'typing', roomId: this.roomId, user });
  }
  read(seq: number): void {
    this.session.notify(this.key, { type: 'read', roomId: this.roomId, seq });
  }
  notice(notice: PrivateNotice): void {
    this.session.notify(this.key, { type: 'notice', roomId: this.roomId, notice });
  }
  ended(error: ErrorInfo): void {
    this.session.subscriptionEnded(this, error);
  }
}

// What the hub holds of a session: a small object, not a literal with two closures.
/** A session as the hub tracks it (the token expiry, shutdown, fault-test drops). */
export class Handle implements ConnectionHandle {
  constructor(
    private readonly session: ConnectionSession,
    readonly transport: SessionTransport,
    readonly principal: Principal,
  ) {}

  close(error: ErrorInfo): void {
    this.session.end(error);
  }
  terminate(): void {
    this.session.terminate();
  }
}
