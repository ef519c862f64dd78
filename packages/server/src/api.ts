import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { secureHeaders } from 'hono/secure-headers';
import { ChatError, DESTINATIONS, LIMITS } from '@groupbuy/protocol';
import { signToken, type JwtConfig, type TokenVerifier } from './auth/jwt.js';
import { healthRoutes, type Readiness } from './health/readiness.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { RealtimeContext } from './realtime/context.js';
import type { RoomService } from './rooms/service.js';
import { apiCors } from './routes/cors.js';
import { errorResponse } from './routes/errors.js';
import { metricsRoutes, type MetricsAccess } from './routes/metrics.js';
import { requestLog } from './routes/request-log.js';
import { roomRoutes } from './routes/rooms.js';
import { UPLOAD_PATH } from './attachments/types.js';

/** What the API app is built from: everything but the files on disk. */
export interface ApiDeps {
  /** Room rules. */
  service: RoomService;
  /** Token checks. */
  verifier: TokenVerifier;
  /** For dev tokens. */
  jwt: JwtConfig;
  /** Realtime context (SSE lives on the REST router). */
  realtime: RealtimeContext;
  /** Logs. */
  logger: Logger;
  /** Counters. */
  metrics: Metrics;
  /** Who may read `GET /metrics` here. @default 'open' */
  metricsAccess?: MetricsAccess;
  /** Store and bus reachable, not shutting down: `/readyz`. */
  readiness: Readiness;
  /** Enables `POST /api/dev/token`. Never in production. */
  dev: boolean;
  /** Checks a browser Origin against the allow-list. */
  isOriginAllowed: (origin: string | undefined, host: string | undefined) => boolean;
  /** Attachments (issue 12): the upload and signed image routes (attachments/routes.ts), when enabled. */
  attachmentRoutes?: Hono;
}

/**
 * Builds the Hono app's API half: REST, SSE, health, metrics and dev tokens. It touches no file and no
 * Node built-in, so the same routes also answer in a browser (`app.fetch`, the in-process core of
 * `@groupbuy/testing`); {@link createApp} in app.ts adds the widget and static folders.
 */
export function createApiApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err, deps.logger));
  app.notFound((c) => errorResponse(c, new ChatError('NOT_FOUND', `Nothing at ${c.req.method} ${c.req.path}.`), deps.logger));

  app.use('*', ...requestLog(deps.logger, deps.metrics));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginOpenerPolicy: false }));
  app.use(
    '/api/*',
    apiCors({
      isOriginAllowed: deps.isOriginAllowed,
      allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
      // PUT: slow mode, the pin and a buyer's shipping address (issue 11) from a page on another origin.
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Date', 'Retry-After', 'X-Request-Id'],
      maxAgeSeconds: 600,
    }),
  );
  // CORS only stops a browser from reading an answer; a listed origin is also what may act. A request a
  // page on an unlisted origin makes anyway (a form post, an EventSource, a fetch in no-cors mode) is
  // refused before it reaches a route, so nothing it sends is stored and no feed is held open for it.
  app.use('/api/*', async (c, next) => {
    if (!deps.isOriginAllowed(c.req.header('origin'), c.req.header('host'))) {
      throw new ChatError('FORBIDDEN', "This page's origin is not allowed to use the chat (ALLOWED_ORIGINS).");
    }
    await next();
  });
  const restBodyLimit = bodyLimit({
    maxSize: LIMITS.bodyMaxBytes,
    onError: () => {
      throw new ChatError('PAYLOAD_TOO_LARGE', `A request body can be at most ${LIMITS.bodyMaxBytes} bytes.`);
    },
  });
  // Image uploads (attachments/routes.ts) carry their own, larger limit. A GET or HEAD has no body to limit,
  // and asking for one makes @hono/node-server build a whole web Request (~5% of a history page's time).
  app.use(
    '/api/*',
    except((c) => c.req.method === 'GET' || c.req.method === 'HEAD' || UPLOAD_PATH.test(c.req.path), restBodyLimit),
  );

  app.route(
    '/',
    healthRoutes(deps.readiness, () => deps.realtime.hub.connectionCount),
  );
  const access = deps.metricsAccess ?? 'open';
  if (access !== 'elsewhere') app.route('/', metricsRoutes(deps.metrics, deps.logger, access === 'open' ? undefined : access.token));

  if (deps.dev) {
    app.post('/api/dev/token', async (c) => {
      let body: Record<string, unknown>;
      try {
        body = await c.req.json<Record<string, unknown>>();
      } catch {
        throw new ChatError('INVALID_INPUT', 'Send {"userId": "…", "name": "…"}.');
      }
      // `null` is valid JSON; reading a field of it would be a 500.
      if (typeof body !== 'object' || body === null) throw new ChatError('INVALID_INPUT', 'Send {"userId": "…", "name": "…"}.');
      const userId = typeof body['userId'] === 'string' ? body['userId'].trim() : '';
      const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
      if (!/^[A-Za-z0-9_.:@-]{1,128}$/.test(userId)) throw new ChatError('INVALID_INPUT', 'userId is 1–128 letters, digits or "_.:@-".');
      if (name.length < 1 || name.length > LIMITS.nameMaxChars)
        throw new ChatError('INVALID_INPUT', `name is 1–${LIMITS.nameMaxChars} characters.`);
      const ttl = typeof body['ttlSeconds'] === 'number' && body['ttlSeconds'] > 0 ? Math.min(body['ttlSeconds'], 86_400) : 3600;
      const role = body['role'] === 'service' ? 'service' : 'user';
      return c.json(await signToken(deps.jwt, { userId, name, role, ttlSeconds: ttl }), 201);
    });
  }

  // Before the room routes: those demand a token for every path, and an <img> sends none.
  if (deps.attachmentRoutes) app.route(DESTINATIONS.apiBase, deps.attachmentRoutes);
  app.route(DESTINATIONS.apiBase, roomRoutes(deps.service, deps.verifier, deps.realtime));
  return app;
}
