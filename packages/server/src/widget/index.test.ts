import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

// A widget folder laid out like the elements build writes it: the stable entry, a content-hashed chunk,
// their source maps, and a .gz and .br beside each (node:zlib, as rollup.config.mjs does).
const ENTRY = 'export { G as GroupbuyChat } from "./chunks/core-Ab12Cd34.js";\n//# sourceMappingURL=groupbuy-chat.bundle.js.map\n';
const CHUNK = `${'const greeting = "공동구매 채팅에 오신 걸 환영해요";\n'.repeat(200)}export { greeting as G };\n`;
const MAP = JSON.stringify({ version: 3, file: 'groupbuy-chat.bundle.js', sources: ['../src/bundle.ts'], mappings: 'AAAA' });
const SECRET = 'a file beside the widget folder that must never be served';

function writeWithSiblings(path: string, text: string): void {
  const bytes = Buffer.from(text);
  writeFileSync(path, bytes);
  writeFileSync(`${path}.gz`, gzipSync(bytes));
  writeFileSync(`${path}.br`, brotliCompressSync(bytes));
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

// node:http, not fetch: fetch normalises `..` out of the path and undoes Content-Encoding, and both
// are what these tests look at.
function raw(server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'groupbuy-widget-'));
  const widget = join(dir, 'widget');
  mkdirSync(join(widget, 'chunks'), { recursive: true });
  writeWithSiblings(join(widget, 'groupbuy-chat.bundle.js'), ENTRY);
  writeWithSiblings(join(widget, 'groupbuy-chat.bundle.js.map'), MAP);
  writeWithSiblings(join(widget, 'chunks', 'core-Ab12Cd34.js'), CHUNK);
  writeWithSiblings(join(widget, 'chunks', 'core-Ab12Cd34.js.map'), MAP);
  writeFileSync(join(dir, 'secret.js'), SECRET);
  server = await startTestServer({ widgetDir: widget });
});

afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /elements/ (the widget served by the chat server)', () => {
  it('serves the stable entry to a module script from any origin, revalidated on every use', async () => {
    const res = await raw(server, '/elements/groupbuy-chat.bundle.js', { Origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(ENTRY);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['etag']).toMatch(/^"[\w-]+"$/);
  });

  it('serves a hashed chunk with CORS and caches it for a year as immutable', async () => {
    const res = await raw(server, '/elements/chunks/core-Ab12Cd34.js', { Origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(CHUNK);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 304 with no body when If-None-Match names the current ETag, and 200 for a stale one', async () => {
    const first = await raw(server, '/elements/groupbuy-chat.bundle.js');
    const etag = String(first.headers['etag']);
    const again = await raw(server, '/elements/groupbuy-chat.bundle.js', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-cache');
    expect(again.headers['access-control-allow-origin']).toBe('*');
    const weakInList = await raw(server, '/elements/groupbuy-chat.bundle.js', { 'If-None-Match': `"old", W/${etag}` });
    expect(weakInList.status).toBe(304);
    const stale = await raw(server, '/elements/groupbuy-chat.bundle.js', { 'If-None-Match': '"an-older-build"' });
    expect(stale.status).toBe(200);
  });

  it('sends the precompressed brotli or gzip file as Accept-Encoding allows, both decoding to the same bytes', async () => {
    const br = await raw(server, '/elements/chunks/core-Ab12Cd34.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    const gz = await raw(server, '/elements/chunks/core-Ab12Cd34.js', { 'Accept-Encoding': 'gzip' });
    const identity = await raw(server, '/elements/chunks/core-Ab12Cd34.js');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    for (const res of [br, gz]) {
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(identity.body.length);
    }
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
    // Three representations, three ETags: a cache must not hand gzip bytes to a request that got brotli.
    expect(new Set([br.headers['etag'], gz.headers['etag'], identity.headers['etag']]).size).toBe(3);
  });

  it('honours q=0 in Accept-Encoding', async () => {
    const res = await raw(server, '/elements/chunks/core-Ab12Cd34.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0.8' });
    expect(res.headers['content-encoding']).toBe('gzip');
    const none = await raw(server, '/elements/chunks/core-Ab12Cd34.js', { 'Accept-Encoding': '*;q=0, identity' });
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('serves the source maps the same way', async () => {
    const entryMap = await raw(server, '/elements/groupbuy-chat.bundle.js.map', { 'Accept-Encoding': 'br' });
    expect(entryMap.status).toBe(200);
    expect(entryMap.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(entryMap.headers['access-control-allow-origin']).toBe('*');
    expect(entryMap.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(entryMap.body).toString()).toBe(MAP);
    const chunkMap = await raw(server, '/elements/chunks/core-Ab12Cd34.js.map');
    expect(chunkMap.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(chunkMap.body.toString()).toBe(MAP);
  });

  it.each([
    '/elements/../secret.js',
    '/elements/%2e%2e/secret.js',
    '/elements/..%2fsecret.js',
    '/elements/chunks/..%2f..%2fsecret.js',
    '/elements/..%5csecret.js',
    '/elements/chunks//core-Ab12Cd34.js',
  ])('refuses %s without serving anything outside the folder', async (path) => {
    const res = await raw(server, path);
    expect([400, 404]).toContain(res.status);
    expect(res.body.toString()).not.toContain(SECRET);
    expect(JSON.parse(res.body.toString()).error.code).toMatch(/^(INVALID_INPUT|NOT_FOUND)$/);
  });

  it('answers an unknown file, a directory and a precompressed sibling with 404 and the protocol error', async () => {
    for (const path of [
      '/elements/nope.js',
      '/elements/',
      '/elements/chunks',
      '/elements/groupbuy-chat.bundle.js.br',
      '/elements/index.d.ts',
    ]) {
      const res = await raw(server, path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body.toString())).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await raw(server, '/elements/groupbuy-chat.bundle.js', { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['etag']).toMatch(/-br"$/);
    expect(res.body.length).toBe(0);
  });

  it('has no /elements/ route when no widget folder is configured', async () => {
    const bare = await startTestServer();
    try {
      const res = await raw(bare, '/elements/groupbuy-chat.bundle.js');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString()).error.code).toBe('NOT_FOUND');
    } finally {
      await bare.dispose();
    }
  });
});
