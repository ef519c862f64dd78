import type { Context } from 'hono';
import { ChatError } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';

// What every route module of the REST API reads from a request: the signed-in principal and a JSON body.
// Here rather than in rooms.ts, which mounts the other route modules (they would import back from it).

/** Hono variables set by the auth middleware: the verified principal, or null for an anonymous public read. */
export type AppEnv = { Variables: { principal: Principal | null } };

/** The principal of a route that needs one (the middleware only lets public reads through without). */
export function signedIn(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new ChatError('UNAUTHENTICATED', 'Sign in first: no token was sent.');
  return principal;
}

/**
 * The request's JSON body, or INVALID_INPUT. `optional`: an empty body is no body (undefined), as a join
 * without an invite sends.
 */
export async function jsonBody(req: Request, { optional = false } = {}): Promise<unknown> {
  const text = await req.text();
  if (optional && text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChatError('INVALID_INPUT', optional ? 'The request body must be JSON (or empty).' : 'The request body must be JSON.');
  }
}
