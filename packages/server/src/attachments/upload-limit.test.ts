import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { api, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';
import { png, upload } from '../test-support/uploads.js';

// The per-user upload limit on POST …/attachments (ATTACHMENT_UPLOAD_LIMIT), against a real server.

describe('upload rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ attachmentUploadLimit: { capacity: 2, refillMs: 60_000 } });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses the upload past the limit with 429 RATE_LIMITED and retryAfterMs, per user across rooms', async () => {
    const [one, two] = [await createRoom(server), await createRoom(server)];
    const [minsu, jiyoon] = [await tokenFor('minsu'), await tokenFor('jiyoon')];
    const image = await png();
    expect((await upload(server, one.productId, minsu, image, 'a.png')).status).toBe(201);
    expect((await upload(server, one.productId, minsu, image, 'b.png')).status).toBe(201);
    const refused = await upload(server, one.productId, minsu, image, 'c.png');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.message).toMatch(/uploading images too fast/);
    // 2 per 60 s: the next token comes back within 30 s.
    expect(refused.body.error.retryAfterMs).toBeGreaterThan(0);
    expect(refused.body.error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The bucket is the user's, not the room's: another room does not reset it.
    expect((await upload(server, two.productId, minsu, image, 'd.png')).status).toBe(429);
    // Another user has their own.
    expect((await upload(server, one.productId, jiyoon, image, 'e.png')).status).toBe(201);
  });

  it('spends nothing on a refused upload (a closed room)', async () => {
    const room = await createRoom(server, { hostId: 'seller-7' });
    const [buyer, seller] = [await tokenFor('sora'), await tokenFor('seller-7')];
    expect((await api(server, 'POST', `/api/chat/rooms/${room.productId}/close`, { token: seller })).status).toBe(200);
    const image = await png();
    for (let i = 0; i < 3; i++) expect((await upload(server, room.productId, buyer, image, 'x.png')).status).toBe(403);
    const open = await createRoom(server);
    expect((await upload(server, open.productId, buyer, image, 'y.png')).status).toBe(201);
  });
});

describe('ATTACHMENT_UPLOAD_LIMIT', () => {
  it('reads N/MS and refuses anything else', () => {
    const env = { JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig([], { ...env, ATTACHMENT_UPLOAD_LIMIT: '5/30000' }).attachmentUploadLimit).toEqual({ capacity: 5, refillMs: 30_000 });
    expect(loadConfig([], env).attachmentUploadLimit).toBeUndefined();
    expect(() => loadConfig([], { ...env, ATTACHMENT_UPLOAD_LIMIT: 'lots' })).toThrow(/rate limit/);
  });
});
