import type { Hono } from 'hono';
import type { RoomService } from '../rooms/service.js';
import type { RealtimeContext } from '../realtime/context.js';
import { markRead, relayTyping } from '../realtime/ephemeral.js';
import { jsonBody, signedIn, type AppEnv } from './request.js';

/**
 * Issue 12's REST half, on the room routes (their auth middleware has run):
 * `POST /rooms/{productId}/read {seq}` moves the caller's read position forward (idempotent) and answers
 * `{ seq, unreadCount }`; `POST /rooms/{productId}/typing` is "I am typing" for clients without a two-way
 * socket (SSE), throttled like the sockets' command (204).
 */
export function readRoutes(api: Hono<AppEnv>, service: RoomService, realtime: RealtimeContext): void {
  const deps = { service, hub: realtime.hub };

  api.post('/rooms/:productId/read', async (c) => {
    const body = await jsonBody(c.req.raw);
    const seq = typeof body === 'object' && body !== null ? (body as { seq?: unknown }).seq : undefined;
    return c.json(await markRead(deps, signedIn(c), c.req.param('productId'), seq));
  });

  api.post('/rooms/:productId/typing', async (c) => {
    await relayTyping(deps, signedIn(c), c.req.param('productId'));
    return c.body(null, 204);
  });
}
