import { ChatError } from './errors.js';
import { decide, type Decision, type RoomRelation, type RoomState } from './rules.js';

// Invite attribution and the seller's funnel (issue 12): the shape of an invite code, the join body that
// carries one, and who may read a room's stats. Written once; the server and the SDK both call these.

/** The query parameter of an invite link on the shop's product page: `?gb_ref=<code>`. */
export const INVITE_PARAM = 'gb_ref';

/**
 * What an invite code looks like: 22 URL-safe base64 characters (128 random bits). A code says nothing
 * about its inviter; the server alone maps it to one.
 */
export const INVITE_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Longest `ref` a join body may carry, in characters; longer is INVALID_INPUT (a code is 22). */
export const INVITE_REF_MAX_CHARS = 64;

/** True when `value` has the shape of an invite code (it may still be unknown to the server). */
export function isInviteCode(value: unknown): value is string {
  return typeof value === 'string' && INVITE_CODE_PATTERN.test(value);
}

/** The `param` of an {@link Invite}: what a shop appends to the product page URL. */
export function inviteParam(code: string): string {
  return `${INVITE_PARAM}=${code}`;
}

/** Body of `POST /api/chat/rooms/{productId}/participants` (join). */
export interface JoinBody {
  /** The invite code the shopper arrived with (`gb_ref`), when there was one. */
  ref?: string;
}

/**
 * Checks a join body: none at all (null/undefined) or an object whose optional `ref` is a string of at
 * most {@link INVITE_REF_MAX_CHARS} characters (an empty string counts as none). A `ref` that is a string
 * but not a code the server knows is not an error: the join goes ahead without an inviter, so a mangled
 * link never costs a shopper their seat. Throws INVALID_INPUT otherwise.
 */
export function parseJoinBody(body: unknown): JoinBody {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ChatError('INVALID_INPUT', 'The join body must be a JSON object like {"ref": "…"} (or empty).');
  }
  const ref = (body as Record<string, unknown>)['ref'];
  if (ref === undefined || ref === null || ref === '') return {};
  if (typeof ref !== 'string' || ref.length > INVITE_REF_MAX_CHARS) {
    throw new ChatError('INVALID_INPUT', `ref must be the invite code from the link (at most ${INVITE_REF_MAX_CHARS} characters).`);
  }
  return { ref };
}

/**
 * May a principal with `relation` read the room's funnel (`GET …/stats`)? The seller and the trade
 * service only (FORBIDDEN); nobody signed in (UNAUTHENTICATED). Any status: a settled deal keeps its stats.
 */
export function decideStats(relation: RoomRelation): Decision {
  if (relation === 'anonymous')
    return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in as the seller to see the stats.' } };
  if (relation === 'service' || relation === 'host') return { ok: true };
  return { ok: false, error: { code: 'FORBIDDEN', message: 'Only the seller or the trade service can see this deal’s stats.' } };
}

/**
 * May a principal with `relation` have an invite link for `room` (`POST …/invites`)? Any shopper who may
 * read the room's chat (`decide` read: anyone signed in while ACTIVE, members afterwards); never the trade
 * service (FORBIDDEN), which has nobody to invite.
 */
export function decideInvite(relation: RoomRelation, room: RoomState): Decision {
  if (relation === 'service') return { ok: false, error: { code: 'FORBIDDEN', message: 'The trade service has no invite link.' } };
  return decide(relation, 'read', room);
}
