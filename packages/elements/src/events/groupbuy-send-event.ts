import type { ViewMessage } from '@groupbuy/sdk';

/** Fired by `<groupbuy-chat>` when the user sends a message (its optimistic, still pending copy). */
export class GroupbuySendEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-send';
  /** The pending message; its `clientMsgId` matches the stored one later. */
  readonly message: ViewMessage;

  constructor(message: ViewMessage) {
    super(GroupbuySendEvent.eventName, { bubbles: true, composed: true });
    this.message = message;
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-send': GroupbuySendEvent;
  }
}
