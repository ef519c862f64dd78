import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logger-core.js';
import type { Metrics } from '../metrics.js';

// Probes and scrapes come every few seconds; at info they would drown the lines a reader looks for.
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Request ids and request logs: an incoming `X-Request-Id` (1–255 of `A-Za-z0-9_-=`) is kept, else one is
 * made; it is echoed in the answer's `X-Request-Id` and logged with method, path (never the query: a feed's
 * `?token=` lives there), status and duration. Counts `groupbuy_http_requests_total{method,status}`.
 */
export function requestLog(logger: Logger, metrics: Metrics, now: () => number = () => performance.now()): MiddlewareHandler[] {
  return [
    requestId(),
    async (c, next) => {
      const started = now();
      await next();
      const status = c.res.status;
      metrics.inc('groupbuy_http_requests_total', { method: c.req.method, status: String(status) });
      logger.log(status >= 500 ? 'error' : QUIET.has(c.req.path) ? 'debug' : 'info', 'request', {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((now() - started) * 10) / 10,
      });
    },
  ];
}
