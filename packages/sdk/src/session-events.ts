import type { ChatMessage, ErrorInfo, Room, ServerEvent, Viewer } from '@groupbuy/protocol';
import { Emitter } from './emitter.js';
import { ModeratedSession } from './moderation.js';
import type { RoomActivity } from './room-activity.js';
import type { SessionLifecycle } from './session-state.js';
import type { Listener, RoomSession, RoomSessionEvents } from './types.js';

/**
 * The event half of the {@link RoomSession} API, which the session class extends: its listeners (`on`), the
 * dispatch of the server's events for the room, and (issue 12) the typing and unread state some of those
 * events keep, held by a {@link RoomActivity}. What an event does to the room's messages, roster and
 * subscription is the session's own (the protected hooks below).
 */
export abstract class EventedSession
  extends ModeratedSession
  implements Pick<RoomSession, 'on' | 'typingUsers' | 'unreadCount' | 'typing' | 'markRead'>
{
  /** The session's listeners. */
  protected readonly events = new Emitter<RoomSessionEvents>();
  /** Who else is typing, the typing throttle and the unread count. */
  protected abstract readonly activity: RoomActivity;
  /** Where the session is in its life (events count only once it loaded). */
  protected abstract readonly lifecycle: SessionLifecycle;
  /** @inheritdoc */
  abstract room: Room | null;

  /** @inheritdoc */
  on<K extends keyof RoomSessionEvents>(type: K, listener: Listener<RoomSessionEvents[K]>): () => void {
    return this.events.on(type, listener);
  }

  /** @inheritdoc */
  get typingUsers(): readonly Viewer[] {
    return this.activity.typingUsers;
  }

  /** @inheritdoc */
  get unreadCount(): number {
    return this.activity.unreadCount;
  }

  /** @inheritdoc */
  typing(): void {
    this.activity.typing();
  }

  /** @inheritdoc */
  async markRead(seq?: number): Promise<void> {
    const target = seq ?? this.room?.lastSeq ?? 0;
    if (this.lifecycle.disposed || target <= 0) return;
    await this.activity.markRead(target);
  }

  /** A server event for this room (dropped before the first load: the load reads the room as it is). */
  handle(event: ServerEvent): void {
    if (!this.lifecycle.loaded) return;
    switch (event.type) {
      case 'message':
        this.ingest([event.message], true);
        break;
      case 'replay-truncated':
        this.replayTruncated(event.sinceSeq, event.lastSeq);
        break;
      case 'subscription-ended':
        this.lifecycle.end(event.error);
        this.activity.clear();
        this.subscriptionEnded(event.error);
        break;
      case 'viewers':
        // Only while subscribed: after subscription-ended the people in the room are no longer ours to see.
        // (The push may beat the subscribe's acknowledgement, so `subscribing` takes it too.)
        if (this.lifecycle.live || this.lifecycle.state.kind === 'subscribing') this.viewersPushed(event.viewers, event.count);
        break;
      case 'error':
        this.fail(event.error, event.clientMsgId);
        break;
      case 'typing':
        this.activity.typed(event.user);
        break;
      case 'read':
        this.activity.readElsewhere(event.seq);
        break;
      case 'notice':
        this.moderation.notice(event.notice);
        break;
    }
  }

  /** Adds stored messages; `live` ones (stream, gap fills) update the room and fire `message`. */
  protected abstract ingest(messages: readonly ChatMessage[], live: boolean): number;
  /** Messages were missed beyond the server's replay window: the list starts again from the latest page. */
  protected abstract replayTruncated(sinceSeq: number, lastSeq: number): void;
  /** The server ended the room's feed for this reader, for good. */
  protected abstract subscriptionEnded(error: ErrorInfo): void;
  /** Who has the chat open now (while subscribed): `count` in all, the first of them in `viewers`. */
  protected abstract viewersPushed(viewers: readonly Viewer[], count: number): void;
  /** Reports an error (a send's with its client message id). */
  protected abstract fail(error: ErrorInfo, clientMsgId?: string): void;
}
