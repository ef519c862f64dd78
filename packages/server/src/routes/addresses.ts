import type { Hono } from 'hono';
import { addressesCsv } from '../addresses/csv.js';
import type { RoomService } from '../rooms/service.js';
import { jsonBody, signedIn, type AppEnv } from './request.js';

/**
 * The shipping-address routes (issue 11, docs/protocol.md "Shipping addresses"), registered on the room API
 * behind its auth middleware. Every answer, errors included, carries `Cache-Control: no-store`: an address
 * must not stay in a browser's or a proxy's cache.
 */
export function addressRoutes(api: Hono<AppEnv>, service: RoomService): void {
  const book = service.addresses;
  const own = '/rooms/:productId/participants/me/address';

  for (const path of [own, '/rooms/:productId/addresses']) {
    api.use(path, async (c, next) => {
      c.header('Cache-Control', 'no-store');
      await next();
      c.res.headers.set('Cache-Control', 'no-store');
    });
  }

  api.put(own, async (c) => c.json(await book.save(signedIn(c), c.req.param('productId'), await jsonBody(c.req.raw))));

  api.get(own, async (c) => c.json(await book.own(signedIn(c), c.req.param('productId'))));

  api.delete(own, async (c) => {
    await book.remove(signedIn(c), c.req.param('productId'));
    return c.body(null, 204);
  });

  api.get('/rooms/:productId/addresses', async (c) => {
    const productId = c.req.param('productId');
    const addresses = await book.list(signedIn(c), productId);
    if (c.req.query('format') !== 'csv') return c.json({ addresses });
    // The product id was checked by the lookup (assertProductId): safe inside the quoted filename.
    c.header('Content-Disposition', `attachment; filename="addresses-${productId}.csv"`);
    return c.body(addressesCsv(addresses), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });
}
