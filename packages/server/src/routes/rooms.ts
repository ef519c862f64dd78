import { Hono } from 'hono';
import type { ViewerList } from '@groupbuy/protocol';
import { bearerToken, type TokenVerifier } from '../auth/jwt.js';
import type { RoomService } from '../rooms/service.js';
import type { RealtimeContext } from '../realtime/context.js';
import { AnonymousFeedGate, DEFAULT_ANONYMOUS_FEED_LIMITS, roomEvents } from '../realtime/sse.js';
import { moderationRoutes } from './moderation.js';
import { addressRoutes } from './addresses.js';
import { readRoutes } from './reads.js';
import { insightsRoutes } from '../insights/routes.js';
import { jsonBody, signedIn, type AppEnv } from './request.js';

// What a product page shows a signed-out visitor: the room snapshot and its public feed (room state and
// the seller's notices). History, participants, viewers and every write stay behind a token.
const PUBLIC_READ = /\/rooms\/[^/]+(?:\/events)?$/;

/**
 * The REST API under `/api/chat` (docs/protocol.md). Every route needs a valid JWT, except that the room
 * snapshot and its SSE feed may be read with no token at all (a token that is sent must be valid).
 */
export function roomRoutes(service: RoomService, verifier: TokenVerifier, realtime: RealtimeContext): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const anonymousFeeds = new AnonymousFeedGate(realtime.anonymousFeedLimits ?? DEFAULT_ANONYMOUS_FEED_LIMITS);

  api.use('*', async (c, next) => {
    // EventSource cannot set headers, so the SSE feed also takes the token as ?token=.
    const isFeed = c.req.path.endsWith('/events');
    const queryToken = isFeed ? c.req.query('token') : undefined;
    const authorization = c.req.header('Authorization');
    // Only a request that sends no credentials at all is anonymous: a stale or malformed token is still
    // refused, so the page notices it and signs in again instead of silently losing the chat.
    if (authorization === undefined && queryToken === undefined && c.req.method === 'GET' && PUBLIC_READ.test(c.req.path)) {
      c.set('principal', null);
      return next();
    }
    const token = bearerToken(authorization) ?? queryToken ?? null;
    try {
      c.set('principal', await verifier.verify(token));
    } catch (err) {
      // Counted like the realtime transports count theirs, so /metrics shows refused tokens on every surface.
      realtime.metrics.inc('groupbuy_auth_failures_total', { transport: isFeed ? 'sse' : 'rest' });
      throw err;
    }
    await next();
  });

  api.post('/rooms', async (c) => {
    const { room, created } = await service.createRoom(signedIn(c), await jsonBody(c.req.raw));
    return c.json(room, created ? 201 : 200);
  });

  // A signed-in caller also gets their unreadCount (issue 12); a signed-out one the public snapshot.
  api.get('/rooms/:productId', async (c) => c.json(await service.roomFor(c.get('principal'), c.req.param('productId'))));

  api.get('/rooms/:productId/messages', async (c) => c.json(await service.history(signedIn(c), c.req.param('productId'), c.req.query())));

  api.get('/rooms/:productId/view', async (c) => c.json(await service.view(signedIn(c), c.req.param('productId'), c.req.query())));

  api.get('/rooms/:productId/participants', async (c) =>
    c.json({ participants: await service.participants(signedIn(c), c.req.param('productId')) }),
  );

  api.get('/rooms/:productId/viewers', async (c) => {
    const { room } = await service.authorizeRead(signedIn(c), c.req.param('productId'));
    const viewers = await realtime.hub.viewersEverywhere(room.productId);
    return c.json({ count: viewers.length, viewers } satisfies ViewerList);
  });

  api.post('/rooms/:productId/participants', async (c) => {
    // The body is optional: `{ ref }` carries an invite code (issue 12).
    const { room, joined } = await service.join(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw, { optional: true }));
    return c.json(room, joined ? 201 : 200);
  });

  api.delete('/rooms/:productId/participants/me', async (c) => {
    const { room } = await service.leave(signedIn(c), c.req.param('productId'));
    return c.json(room);
  });

  api.post('/rooms/:productId/close', async (c) => c.json(await service.settleByHost(signedIn(c), c.req.param('productId'), 'CLOSED')));

  api.post('/rooms/:productId/cancel', async (c) => c.json(await service.settleByHost(signedIn(c), c.req.param('productId'), 'CANCELLED')));

  api.post('/rooms/:productId/notifications', async (c) => {
    const message = await service.notify(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw));
    return c.json(message, 201);
  });

  moderationRoutes(api, service);

  addressRoutes(api, service);

  api.get('/rooms/:productId/events', (c) => roomEvents(c, c.get('principal'), realtime, anonymousFeeds));

  readRoutes(api, service, realtime);

  insightsRoutes(api, service);

  return api;
}
