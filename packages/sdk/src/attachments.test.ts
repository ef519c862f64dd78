// room.upload() and send(text, { attachments }) against the reference server (real SQLite file, real
// sharp processing), over a real transport; readers get absolute signed URLs an <img> can load.
import { describe, expect, it } from 'vitest';
import { TRANSPORTS, testClient, useTestServer } from './test-support/clients.js';
import { createRoom, waitFor } from './test-support/server.js';

const transport = (TRANSPORTS[0] as (typeof TRANSPORTS)[number]).factory;

// A valid 1×1 PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) =>
  c.charCodeAt(0),
);

describe('attachments (SDK)', () => {
  const env = useTestServer();
  const { tokenOf } = env;

  it('uploads an image and sends it with alt text; another reader sees it with URLs that load', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    const uploaded = await ann.upload(new File([PNG], 'dot.jpg', { type: 'image/jpeg' }));
    expect(uploaded).toMatchObject({ width: 1, height: 1 });
    expect(uploaded.url.startsWith(env.url)).toBe(true);

    const local = ann.send('', { attachments: [{ ...uploaded, alt: 'A dot' }] });
    expect(local.attachments?.[0]?.alt).toBe('A dot');

    const bob = testClient({ baseUrl: env.url, getToken: tokenOf('bob'), transport: transport() }).room(room.productId);
    const seen = await waitFor('bob to see the image', () => bob.messages.find((m) => m.attachments?.length));
    expect(seen.attachments?.[0]).toMatchObject({ id: uploaded.id, alt: 'A dot' });
    const img = await fetch(new URL(seen.attachments?.[0]?.previewUrl ?? '', env.url));
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
  });

  it('refuses a non-image with the server’s words', async () => {
    const room = await createRoom(env.url);
    const ann = testClient({ baseUrl: env.url, getToken: tokenOf('ann'), transport: transport() }).room(room.productId);
    await ann.ready();
    await expect(ann.upload(new File(['<html>'], 'x.png', { type: 'image/png' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
