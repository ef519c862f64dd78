import type { Room } from '@groupbuy/protocol';

/** Fired by `<groupbuy-chat>` after the signed-in user joined the deal through its Join button. */
export class GroupbuyJoinEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'groupbuy-join';
  /** The room right after joining (it may already be CLOSED when this join filled it). */
  readonly room: Room | null;

  constructor(room: Room | null) {
    super(GroupbuyJoinEvent.eventName, { bubbles: true, composed: true });
    this.room = room;
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-join': GroupbuyJoinEvent;
  }
}
