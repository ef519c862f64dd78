import { Hono } from 'hono';
import { ChatError } from '@groupbuy/protocol';
import { bearerToken, type Principal, type TokenVerifier } from '../auth/jwt.js';
import type { RoomService } from '../rooms/service.js';
import type { RealtimeContext } from '../realtime/context.js';
import { roomEvents } from '../realtime/sse.js';

/** Hono variables set by the auth middleware. */
export type AppEnv = { Variables: { principal: Principal } };

/** JSON body or INVALID_INPUT. */
async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ChatError('INVALID_INPUT', 'The request body must be JSON.');
  }
}

/** The REST API under `/api/chat` (docs/protocol.md). Every route needs a valid JWT. */
export function roomRoutes(service: RoomService, verifier: TokenVerifier, realtime: RealtimeContext): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.use('*', async (c, next) => {
    // EventSource cannot set headers, so the SSE feed also takes the token as ?token=.
    const isFeed = c.req.path.endsWith('/events');
    const token = bearerToken(c.req.header('Authorization')) ?? (isFeed ? (c.req.query('token') ?? null) : null);
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
    const { room, created } = await service.createRoom(c.get('principal'), await jsonBody(c.req.raw));
    return c.json(room, created ? 201 : 200);
  });

  api.get('/rooms/:productId', async (c) => c.json(await service.getRoom(c.req.param('productId'))));

  api.get('/rooms/:productId/messages', async (c) =>
    c.json(await service.history(c.get('principal'), c.req.param('productId'), c.req.query())),
  );

  api.get('/rooms/:productId/participants', async (c) =>
    c.json({ participants: await service.participants(c.get('principal'), c.req.param('productId')) }),
  );

  api.get('/rooms/:productId/viewers', async (c) => {
    const { room } = await service.authorizeRead(c.get('principal'), c.req.param('productId'));
    return c.json({ viewers: await realtime.hub.viewersEverywhere(room.productId) });
  });

  api.post('/rooms/:productId/participants', async (c) => {
    const { room, joined } = await service.join(c.get('principal'), c.req.param('productId'));
    return c.json(room, joined ? 201 : 200);
  });

  api.delete('/rooms/:productId/participants/me', async (c) => {
    const { room } = await service.leave(c.get('principal'), c.req.param('productId'));
    return c.json(room);
  });

  api.post('/rooms/:productId/close', async (c) =>
    c.json(await service.settleByHost(c.get('principal'), c.req.param('productId'), 'CLOSED')),
  );

  api.post('/rooms/:productId/cancel', async (c) =>
    c.json(await service.settleByHost(c.get('principal'), c.req.param('productId'), 'CANCELLED')),
  );

  api.post('/rooms/:productId/notifications', async (c) => {
    const message = await service.notify(c.get('principal'), c.req.param('productId'), await jsonBody(c.req.raw));
    return c.json(message, 201);
  });

  api.get('/rooms/:productId/events', (c) => roomEvents(c, c.get('principal'), realtime));

  return api;
}
