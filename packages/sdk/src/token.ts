import type { CurrentUser } from './types.js';

/**
 * Reads `sub`, `name` and `role` from a JWT's payload, for display only (the server verifies the
 * signature). Returns null when the token is not a JWT with a `sub`.
 */
export function readTokenUser(token: string): CurrentUser | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    // atob yields one char per byte; names are UTF-8 (e.g. Korean), so decode the bytes.
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const sub = claims['sub'];
    if (typeof sub !== 'string') return null;
    const name = claims['name'];
    const role = claims['role'];
    const user: CurrentUser = { userId: sub, name: typeof name === 'string' ? name : sub };
    if (typeof role === 'string') user.role = role;
    return user;
  } catch {
    return null;
  }
}
