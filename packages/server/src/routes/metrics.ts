import { Hono } from 'hono';
import { ChatError } from '@groupbuy/protocol';
import type { Metrics } from '../metrics.js';
import { errorResponse } from './errors.js';
import type { Logger } from '../logger-core.js';

/**
 * Who may read `GET /metrics` on the main app: `'open'` anyone (behind the nginx config's loopback-only
 * location; the in-process core), `{ token }` a bearer token (METRICS_TOKEN), or `'elsewhere'` not served
 * here because it has its own port (METRICS_PORT).
 */
export type MetricsAccess = 'open' | 'elsewhere' | { readonly token: string };

// Same length and every character compared, so the time taken tells nothing about how much of a guess was right.
function sameToken(given: string, expected: string): boolean {
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** The `GET /metrics` route (Prometheus text from `metrics.render()`), bearer-checked when `token` is set. */
export function metricsRoutes(metrics: Metrics, logger: Logger, token?: string): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err, logger));
  app.get('/metrics', async (c) => {
    if (token !== undefined) {
      const header = c.req.header('authorization') ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
      if (!sameToken(given, token)) throw new ChatError('UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
    }
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
  return app;
}
