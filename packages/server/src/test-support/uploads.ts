import sharp from 'sharp';

/** Uploads `data` as the multipart field `file` to `POST …/rooms/{productId}/attachments`; returns status, parsed body, headers. */
export async function upload(
  server: { url: string },
  productId: string,
  token: string,
  data: Uint8Array,
  name: string,
  type = 'application/octet-stream',
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  const res = await fetch(`${server.url}/api/chat/rooms/${productId}/attachments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A small solid PNG made by sharp, `w` × `h` pixels. */
export const png = (w = 64, h = 48): Promise<Buffer> =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#3a6' } })
    .png()
    .toBuffer();
