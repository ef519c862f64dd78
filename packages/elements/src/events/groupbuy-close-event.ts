/**
 * Fired by `<groupbuy-chat mode="launcher">` when its chat closed (the close button, Escape, the launcher
 * pressed again, or `open` was cleared). The connection stays: messages that arrive now count as unread.
 */
export class GroupbuyCloseEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-close';

  constructor() {
    super(GroupbuyCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-close': GroupbuyCloseEvent;
  }
}
