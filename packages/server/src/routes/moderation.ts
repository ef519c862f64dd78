import type { Hono } from 'hono';
import { parseSeqParam } from '@groupbuy/protocol';
import type { RoomService } from '../rooms/service.js';
import { jsonBody, signedIn, type AppEnv } from './request.js';

/**
 * The moderation routes (issue 11, docs/protocol.md "Moderation"), registered on the room API behind its auth
 * middleware: every one needs a token; the rules are in @groupbuy/protocol (decideModeration, decideDelete).
 */
export function moderationRoutes(api: Hono<AppEnv>, service: RoomService): void {
  const moderation = service.moderation;

  api.delete('/rooms/:productId/messages/:seq', async (c) =>
    c.json(await moderation.deleteMessage(signedIn(c), c.req.param('productId'), parseSeqParam(c.req.param('seq')))),
  );

  api.post('/rooms/:productId/messages/:seq/reports', async (c) => {
    const seq = parseSeqParam(c.req.param('seq'));
    return c.json(await moderation.report(signedIn(c), c.req.param('productId'), seq, await jsonBody(c.req.raw)), 201);
  });

  api.get('/rooms/:productId/reports', async (c) => c.json({ reports: await moderation.reports(signedIn(c), c.req.param('productId')) }));

  api.post('/rooms/:productId/mutes', async (c) =>
    c.json(await moderation.mute(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw)), 201),
  );

  api.delete('/rooms/:productId/mutes/:userId', async (c) => {
    await moderation.unmute(signedIn(c), c.req.param('productId'), c.req.param('userId'));
    return c.body(null, 204);
  });

  api.put('/rooms/:productId/slow-mode', async (c) =>
    c.json(await moderation.setSlowMode(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw))),
  );

  api.put('/rooms/:productId/pin', async (c) =>
    c.json(await moderation.pin(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw))),
  );

  api.delete('/rooms/:productId/pin', async (c) => c.json(await moderation.unpin(signedIn(c), c.req.param('productId'))));
}
