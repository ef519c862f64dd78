import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';

const SHOP = 'http://shop.example:8000';
const OTHER = 'http://evil.example';

let server: TestServer;
let productId: string;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ allowedOrigins: [SHOP] });
  productId = (await createRoom(server)).productId;
  token = await tokenFor('cors-reader');
});
afterAll(async () => {
  await server.dispose();
});

describe('CORS on the REST API (routes/cors.ts)', () => {
  it('gives a listed origin its CORS headers beside the request id and the secure headers, with the JSON intact', async () => {
    const res = await api(server, 'GET', `/api/chat/rooms/${productId}/messages?limit=5`, { token, headers: { Origin: SHOP } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messages: [], hasMore: false });
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-expose-headers')).toBe('Date,Retry-After,X-Request-Id');
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(res.headers.get('x-request-id')).toMatch(/\S/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('gives an error answer the same CORS headers, so the page can read why', async () => {
    const res = await api(server, 'GET', `/api/chat/rooms/${productId}/messages?limit=0`, { token, headers: { Origin: SHOP } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('x-request-id')).toMatch(/\S/);
  });

  it('answers a request with no Origin (not a browser) without an allow-origin header', async () => {
    const res = await api(server, 'GET', `/api/chat/rooms/${productId}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('answers a preflight for a listed origin with the methods and headers, and none for another', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/chat/rooms/${productId}/participants`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' },
      });
    const listed = await preflight(SHOP);
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(listed.headers.get('access-control-allow-methods')).toMatch(/\bPUT\b/);
    expect(listed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(listed.headers.get('access-control-max-age')).toBe('600');
    expect((await preflight(OTHER)).headers.get('access-control-allow-origin')).toBeNull();
  });
});
