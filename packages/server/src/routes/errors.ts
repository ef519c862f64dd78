import type { Context } from 'hono';
import { routePath } from 'hono/route';
import { HTTP_STATUS, toChatError, type ErrorBody } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';

/** The one place a thrown error becomes an HTTP response: `{ error: { code, message } }` with its status. */
export function errorResponse(c: Context, err: unknown, logger: Logger): Response {
  const error = toChatError(err);
  const principal = c.get('principal' as never) as { userId?: string } | undefined;
  if (error.code === 'INTERNAL') {
    logger.log('error', 'request failed', {
      method: c.req.method,
      path: routePath(c),
      user: principal?.userId ?? null,
      error: String(err),
    });
  }
  const body: ErrorBody = { error: error.toInfo() };
  if (error.retryAfterMs !== undefined) c.header('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
  return c.json(body, HTTP_STATUS[error.code] as 400);
}
