import type { Hono } from 'hono';
import type { RoomService } from '../rooms/service.js';
import { signedIn, type AppEnv } from '../routes/request.js';

/**
 * Issue 12's invite and funnel routes, on the room routes (their auth middleware has run):
 * `POST /rooms/{productId}/invites` answers the caller's invite code (the same one every time) and
 * `GET /rooms/{productId}/stats` the room's funnel to the seller and the trade service.
 */
export function insightsRoutes(api: Hono<AppEnv>, service: RoomService): void {
  api.post('/rooms/:productId/invites', async (c) => c.json(await service.insights.invite(signedIn(c), c.req.param('productId'))));

  api.get('/rooms/:productId/stats', async (c) => c.json(await service.insights.stats(signedIn(c), c.req.param('productId'))));
}
