import type { ErrorInfo } from '@groupbuy/protocol';

/**
 * Fired by the widgets when something failed that the user is shown (a refused join, a failed send, a
 * room that cannot be loaded), so the page can log it or react. The widget shows it either way.
 */
export class GroupbuyErrorEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-error';
  /** What failed: `code` from the protocol, a human `message`, `clientMsgId` for a send. */
  readonly error: ErrorInfo & { clientMsgId?: string };

  constructor(error: ErrorInfo & { clientMsgId?: string }) {
    super(GroupbuyErrorEvent.eventName, { bubbles: true, composed: true });
    this.error = error;
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-error': GroupbuyErrorEvent;
  }
}
