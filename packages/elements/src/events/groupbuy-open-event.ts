/** Fired by `<groupbuy-chat mode="launcher">` when its chat opened (the launcher was pressed, or `open` was set). */
export class GroupbuyOpenEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-open';

  constructor() {
    super(GroupbuyOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-open': GroupbuyOpenEvent;
  }
}
