import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { api, connectStomp, createRoom, startTestServer, tokenFor, waitFor, type TestServer } from '../test-support/harness.js';
import { sweepOrphans } from './sweep.js';
import { FsBlobStore } from './blobs.js';
import { png, upload } from '../test-support/uploads.js';

// Against a real server: a listening HTTP server, a real SQLite file, images under its data directory.

describe('attachments', () => {
  let server: TestServer;
  const abs = (path: unknown): string => `${server.url}${String(path)}`;
  let alice: string;
  let productId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await tokenFor('alice');
    productId = (await createRoom(server)).productId;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses a 12 MB file with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = new Uint8Array(12 * 1024 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const res = await upload(server, productId, alice, big, 'huge.png', 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.error.message).toMatch(/at most 10 MB/);
  });

  it('takes a PNG named .jpg as a PNG (the bytes decide, not the name)', async () => {
    const res = await upload(server, productId, alice, await png(800, 600), 'photo.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 800, height: 600 });
    const full = await fetch(abs(res.body.url));
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await full.arrayBuffer())).metadata()).format).toBe('png');
    const preview = await fetch(abs(res.body.previewUrl));
    const meta = await sharp(Buffer.from(await preview.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([512, 384]);
  });

  it('refuses an HTML file named .png with 400 INVALID_INPUT', async () => {
    const html = new TextEncoder().encode('<!doctype html><script>alert(1)</script>');
    const res = await upload(server, productId, alice, html, 'cat.png', 'image/png');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    expect(res.body.error.message).toMatch(/JPEG, PNG or WebP/);
  });

  it('refuses a file that starts like a PNG but is not one', async () => {
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<html>')]);
    const res = await upload(server, productId, alice, fake, 'x.png');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
  });

  it('strips EXIF (GPS) from a JPEG and turns it upright by its orientation', async () => {
    const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#a33' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 0/1' } })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    // The GPS IFD pointer (tag 0x8825, little-endian) is in the upload's EXIF.
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    const res = await upload(server, productId, alice, jpeg, 'gps.jpg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 100, height: 200 });
    // The stored file itself, as it lies in the data directory.
    const dir = join(server.dir, 'attachments');
    const stored = readFileSync(join(dir, `${res.body.id as string}.full`));
    const after = await sharp(stored).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect([after.width, after.height]).toEqual([100, 200]);
    expect(readdirSync(dir)).toContain(`${res.body.id as string}.preview`);
  });

  it('serves images with nosniff, a CSP, CORP cross-origin and caching; an expired or tampered URL is 403', async () => {
    const { body } = await upload(server, productId, alice, await png(), 'a.png');
    const ok = await fetch(abs(body.url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(ok.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(ok.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);

    const url = new URL(abs(body.url));
    const tampered = new URL(url);
    tampered.searchParams.set('sig', `${url.searchParams.get('sig')?.slice(0, -2) ?? ''}AA`);
    const t = await fetch(tampered);
    expect(t.status).toBe(403);
    expect((await t.json()).error.code).toBe('FORBIDDEN');

    const longer = new URL(url);
    longer.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    expect((await fetch(longer)).status).toBe(403);

    const expired = new URL(url);
    expired.searchParams.set('exp', '1000000000');
    expect((await fetch(expired)).status).toBe(403);

    // The preview's signature does not open the full image.
    const other = new URL(abs(body.previewUrl));
    const swapped = new URL(url);
    swapped.searchParams.set('sig', other.searchParams.get('sig') ?? '');
    expect((await fetch(swapped)).status).toBe(403);

    expect((await fetch(`${server.url}${url.pathname}`)).status).toBe(403);
  });

  it('needs a token to upload, and the right to post in the room', async () => {
    const anonymous = await fetch(`${server.url}/api/chat/rooms/${productId}/attachments`, { method: 'POST', body: new FormData() });
    expect(anonymous.status).toBe(401);
    const closed = await createRoom(server);
    const service = await tokenFor('trade', { role: 'service' });
    expect((await api(server, 'POST', `/api/chat/rooms/${closed.productId}/close`, { token: service })).status).toBe(200);
    const res = await upload(server, closed.productId, alice, await png(), 'a.png');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(['FORBIDDEN', 'ROOM_NOT_ACTIVE']).toContain(res.body.error.code);
  });

  it('sends images with a message: readers get signed URLs live and in history; another room or user cannot use them', async () => {
    const up = await upload(server, productId, alice, await png(300, 200), 'red-shoes.png');
    expect(up.status).toBe(201);

    const bob = await tokenFor('bob');
    const reader = await connectStomp(server, bob);
    const sender = await connectStomp(server, alice);
    try {
      await reader.subscribe(productId);
      // Someone else cannot send alice's upload.
      const stolen = await reader.send(productId, { content: 'mine now', clientMsgId: 'b-1', attachments: [{ id: up.body.id, alt: 'x' }] });
      expect(stolen.ok).toBe(false);
      expect(stolen.error.code).toBe('INVALID_INPUT');
      // Nor can alice send it in another room.
      const otherRoom = (await createRoom(server)).productId;
      const cross = await sender.send(otherRoom, { content: 'here', clientMsgId: 'a-0', attachments: [{ id: up.body.id }] });
      expect(cross.ok).toBe(false);
      expect(cross.error.code).toBe('INVALID_INPUT');

      const sent = await sender.send(productId, { content: '', clientMsgId: 'a-1', attachments: [{ id: up.body.id, alt: 'Red shoes' }] });
      expect(sent.ok).toBe(true);
      const live = await waitFor(() => reader.messages.get(productId)?.find((m) => m.clientMsgId === 'a-1'));
      expect(live.content).toBe('');
      expect(live.attachments).toHaveLength(1);
      expect(live.attachments?.[0]).toMatchObject({ id: up.body.id, width: 300, height: 200, alt: 'Red shoes' });
      expect((await fetch(abs(live.attachments?.[0]?.previewUrl))).status).toBe(200);

      // Once sent, it cannot ride on a second message.
      const again = await sender.send(productId, { content: 'again', clientMsgId: 'a-2', attachments: [{ id: up.body.id }] });
      expect(again.ok).toBe(false);
    } finally {
      await reader.close();
      await sender.close();
    }

    const page = await api(server, 'GET', `/api/chat/rooms/${productId}/messages`, { token: await tokenFor('carol') });
    const stored = (page.body.messages as ChatMessage[]).find((m) => m.clientMsgId === 'a-1');
    expect(stored?.attachments?.[0]?.alt).toBe('Red shoes');
    expect((await fetch(abs(stored?.attachments?.[0]?.url))).status).toBe(200);
  });

  it('refuses more than 4 images, and alt text over 200 characters', async () => {
    const peer = await connectStomp(server, alice);
    try {
      const ids = Array.from({ length: 5 }, () => ({ id: globalThis.crypto.randomUUID() }));
      const many = await peer.send(productId, { content: 'x', clientMsgId: 'm-1', attachments: ids });
      expect(many.error.code).toBe('INVALID_INPUT');
      const alt = await peer.send(productId, { content: 'x', clientMsgId: 'm-2', attachments: [{ id: ids[0]?.id, alt: 'a'.repeat(201) }] });
      expect(alt.error.code).toBe('INVALID_INPUT');
    } finally {
      await peer.close();
    }
  });

  it('sweeps uploads never sent after a day, records and files', async () => {
    const { body } = await upload(server, productId, alice, await png(), 'left-behind.png');
    const blobs = new FsBlobStore(join(server.dir, 'attachments'));
    const { SqliteStore } = await import('../stores/sqlite.js');
    const store = SqliteStore.open({ path: server.dbPath });
    try {
      expect(await sweepOrphans(store, blobs, Date.now())).toBe(0);
      const removed = await sweepOrphans(store, blobs, Date.now() + 25 * 3600 * 1000);
      expect(removed).toBeGreaterThanOrEqual(1);
      expect(await store.attachments.get(body.id)).toBeNull();
      expect(await blobs.get(`${body.id as string}.full`)).toBeNull();
      expect((await fetch(abs(body.url))).status).toBe(404);
    } finally {
      await store.close();
    }
  });
});

describe('attachments with ATTACHMENT_MAX_BYTES', () => {
  it('refuses an image over the configured size with 413 and its limit in the message', async () => {
    const server = await startTestServer({ attachmentMaxBytes: 2 * 1024 * 1024 });
    try {
      const productId = (await createRoom(server)).productId;
      const noisy = await sharp(Buffer.alloc(1400 * 1400 * 3, 0), { raw: { width: 1400, height: 1400, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toBuffer();
      expect(noisy.length).toBeGreaterThan(2 * 1024 * 1024);
      const res = await upload(server, productId, await tokenFor('dave'), noisy, 'big.png');
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/at most 2 MB/);
    } finally {
      await server.dispose();
    }
  });
});
