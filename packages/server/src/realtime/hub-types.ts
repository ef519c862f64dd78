import { type ChatMessage, type ErrorInfo, type PrivateNotice, type Viewer } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';

// What the Hub (hub.ts) hands its transports and asks of them: a delivery, a subscription's sink, a connection.

/** A message with its JSON text, serialised once and shared by every subscriber. */
export interface Delivery {
  /** The stored message. */
  message: ChatMessage;
  /** `JSON.stringify(message)`. */
  json: string;
}

/** Where a subscription's events go; each transport implements it in its own wire format. */
/** A `viewers` push: `count` viewers in all, the first `LIMITS.viewersListMax` of them listed. */
export interface ViewersPush {
  readonly count: number;
  readonly viewers: Viewer[];
}

export interface SubscriptionSink {
  /** A stored message, live or replayed, in seq order. */
  deliver(delivery: Delivery): void;
  /** The resume asked for more than the replay window; nothing was replayed. */
  replayTruncated(info: { roomId: string; sinceSeq: number; lastSeq: number }): void;
  /** The server ended the subscription (e.g. a watcher after the deal closed). */
  ended(error: ErrorInfo): void;
  /**
   * Who has the room's chat open now on any instance (not in the seq stream): every subscriber of the room is
   * handed the same `push` object, so a codec may encode it once per push (keyed on `push.viewers`).
   */
  viewers(push: ViewersPush): void;
  /** Someone else is typing in the room (issue 12; not stored). Absent: the subscription is not told. */
  typing?(user: Viewer): void;
  /** This subscriber's user read up to `seq` (issue 12; from another connection or REST). */
  read?(seq: number): void;
  /** Something only this subscriber's user is told (issue 11: PII_MASKED, MUTED, UNMUTED; not stored). */
  notice?(notice: PrivateNotice): void;
}

/** A live connection of any transport, as the hub tracks it. */
export interface ConnectionHandle {
  /** Which transport (`in-process`: the SDK on the core with no socket, @groupbuy/testing). */
  readonly transport: 'stomp' | 'socket.io' | 'ws' | 'sse' | 'in-process';
  /** The verified user. */
  readonly principal: Principal;
  /** Ends the connection with a protocol error (expired token, shutdown). */
  close(error: ErrorInfo): void;
  /** Cuts the connection without a goodbye (fault tests, dead peers). */
  terminate(): void;
}

/** A registered subscription. */
export interface HubSubscription {
  /** The room. */
  readonly roomId: string;
  /** Who subscribed. */
  readonly principal: Principal;
}
