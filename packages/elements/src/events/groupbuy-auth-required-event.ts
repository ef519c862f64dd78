/** What {@link GroupbuyAuthRequiredEvent} carries. */
export interface GroupbuyAuthRequiredDetail {
  /** The product (= room) id of the chat that needs a new sign-in. */
  productId: string;
  /** Why, for logs: the server's words when it gave any (never the token). */
  reason: string;
}

/**
 * Fired once when the chat server refuses the sign-in token and no fresh one is to be had (no
 * `tokenProvider`, or it failed or gave a token that was refused too): the widget shows "sign in again"
 * and stops reconnecting. Answer it by signing the shopper in and setting `token` (or `tokenProvider`)
 * again; the widget then reconnects at once. Fired again only after a new token was refused as well.
 */
export class GroupbuyAuthRequiredEvent extends CustomEvent<GroupbuyAuthRequiredDetail> {
  /** The event's name. */
  static readonly eventName = 'groupbuy-auth-required';
  /** Which chat needs a new sign-in, and why: `{ productId: string; reason: string }`. */
  declare readonly detail: GroupbuyAuthRequiredDetail;

  constructor(detail: GroupbuyAuthRequiredDetail) {
    super(GroupbuyAuthRequiredEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'groupbuy-auth-required': GroupbuyAuthRequiredEvent;
  }
}
