import type { Room } from '@groupbuy/protocol';

/** Fired by `<groupbuy-chat>` after the signed-in user left the deal through its Leave button. */
export class GroupbuyLeaveEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-leave';
  /** The room right after leaving. */
  readonly room: Room | null;

  constructor(room: Room | null) {
    super(GroupbuyLeaveEvent.eventName, { bubbles: true, composed: true });
    this.room = room;
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-leave': GroupbuyLeaveEvent;
  }
}
