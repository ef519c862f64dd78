import type { Room } from '@groupbuy/protocol';

/**
 * Fired by `<groupbuy-chat>` whenever the room snapshot changes (loaded, a buyer joined or left, the
 * status moved), so the page around it can show the same count and deadline.
 */
export class GroupbuyRoomChangeEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-room-change';
  /** The room after the change. */
  readonly room: Room;

  constructor(room: Room) {
    super(GroupbuyRoomChangeEvent.eventName, { bubbles: true, composed: true });
    this.room = room;
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-room-change': GroupbuyRoomChangeEvent;
  }
}
