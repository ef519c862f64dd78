import { INVITE_PARAM, isInviteCode, type Invite, type JoinBody, type RoomStats } from '@groupbuy/protocol';
import type { RoomRest } from './room-rest.js';

// Invite links and the seller's funnel (issue 12), client side: the `gb_ref` parameter of a product page
// URL, and the session's `invite()` and `stats()` calls.

/** Options of `session.join()`. */
export interface JoinOptions {
  /** The invite code the shopper arrived with (read it with {@link inviteRefFromUrl}); an unknown code is ignored by the server, a malformed one is not sent. */
  ref?: string | null;
}

// A base for relative page URLs: only the query string of the result is read.
const RELATIVE_BASE = 'http://relative.invalid';

/**
 * The invite code in a page URL's `gb_ref` parameter, or null when there is none or it is not shaped like
 * a code. Accepts an absolute or relative URL (`location.href`, `location.search` prefixed with a path).
 */
export function inviteRefFromUrl(url: string | URL): string | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url, RELATIVE_BASE) : url;
  } catch {
    return null;
  }
  const ref = parsed.searchParams.get(INVITE_PARAM);
  return isInviteCode(ref) ? ref : null;
}

/** `pageUrl` with the invite's `gb_ref` set (an earlier `gb_ref` replaced; every other parameter and the hash kept). */
export function inviteUrl(pageUrl: string | URL, invite: Invite): string {
  const url = new URL(String(pageUrl));
  url.searchParams.set(INVITE_PARAM, invite.code);
  return url.toString();
}

/**
 * The join body for `options`: `{ ref }` when the ref is shaped like an invite code, none otherwise. A ref
 * that cannot be a code is dropped here (the server would ignore it anyway), so a mangled link never costs
 * the shopper their join.
 */
export function joinBody(options: JoinOptions | undefined): JoinBody | undefined {
  const ref = options?.ref;
  return isInviteCode(ref) ? { ref } : undefined;
}

/** One room's invite and stats calls (`session.invite()`, `session.stats()`). */
export class RoomInsights {
  constructor(private readonly api: RoomRest) {}

  /** `POST …/invites`: the signed-in user's invite code for the room (the server answers the same code every time). */
  async invite(): Promise<Invite> {
    return (await this.api.call<Invite>('POST', '/invites')).body;
  }

  /** `GET …/stats` (host and service): the room's funnel now. */
  async stats(): Promise<RoomStats> {
    return (await this.api.call<RoomStats>('GET', '/stats')).body;
  }
}
