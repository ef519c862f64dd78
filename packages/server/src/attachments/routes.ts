import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ATTACHMENT_ID_PATTERN, ChatError, decide, orThrow } from '@groupbuy/protocol';
import { bearerToken, type TokenVerifier } from '../auth/jwt.js';
import type { Logger } from '../logger.js';
import type { RoomService } from '../rooms/service.js';
import type { ChatStore } from '../stores/types.js';
import type { BlobStore } from './blobs.js';
import { processImage } from './image.js';
import type { UrlSigner } from './signing.js';
import type { Limiter } from '../rooms/rate-limit.js';
import { takeUpload } from './upload-limit.js';

/** What the attachment routes need. */
export interface AttachmentRouteDeps {
  /** The room rules (who may post). */
  service: RoomService;
  /** Checks the uploader's token. */
  verifier: TokenVerifier;
  /** Upload records. */
  store: ChatStore;
  /** Image bytes. */
  blobs: BlobStore;
  /** Mints and checks image URLs. */
  signer: UrlSigner;
  /** Largest upload, in bytes (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Uploads per user (ATTACHMENT_UPLOAD_LIMIT, upload-limit.ts). */
  uploadLimiter: Limiter;
  /** Epoch ms. */
  now: () => number;
  /** Structured logs (never the image, never a URL). */
  logger: Logger;
}

// Room for the multipart framing around the file.
const MULTIPART_SLACK_BYTES = 64 * 1024;

/**
 * `POST /rooms/{productId}/attachments` (multipart field `file`) and the signed
 * `GET /attachments/{id}/{full|preview}?exp=&sig=`, mounted under `/api/chat` before the room routes: the
 * upload checks its own token, the image read needs none (the signature is the permission).
 */
export function attachmentRoutes(deps: AttachmentRouteDeps): Hono {
  const api = new Hono();
  const tooLarge = (): ChatError =>
    new ChatError('PAYLOAD_TOO_LARGE', `An image can be at most ${String(Math.floor(deps.maxBytes / (1024 * 1024)))} MB.`);

  api.post(
    '/rooms/:productId/attachments',
    bodyLimit({
      maxSize: deps.maxBytes + MULTIPART_SLACK_BYTES,
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const principal = await deps.verifier.verify(bearerToken(c.req.header('Authorization')) ?? null);
      const access = await deps.service.access(principal, c.req.param('productId'));
      orThrow(decide(access.relation, 'post', access.room));
      // Before the image work (sharp) and the storage, which are what a flood would cost.
      await takeUpload(deps.uploadLimiter, principal.userId);
      let file: unknown;
      try {
        file = (await c.req.parseBody())['file'];
      } catch {
        throw new ChatError('INVALID_INPUT', 'Send the image as multipart/form-data in a field named "file".');
      }
      if (!(file instanceof File)) throw new ChatError('INVALID_INPUT', 'Send the image as multipart/form-data in a field named "file".');
      if (file.size > deps.maxBytes) throw tooLarge();
      const image = await processImage(Buffer.from(await file.arrayBuffer()));
      const id = globalThis.crypto.randomUUID();
      await deps.blobs.put(`${id}.full`, image.full, image.mime);
      await deps.blobs.put(`${id}.preview`, image.preview, image.mime);
      await deps.store.attachments.save({
        id,
        roomId: access.room.productId,
        uploaderId: principal.userId,
        mime: image.mime,
        width: image.width,
        height: image.height,
        bytes: image.full.length,
        createdAtMs: deps.now(),
        alt: '',
        claimKey: null,
        messageSeq: null,
        position: 0,
      });
      deps.logger.log('info', 'image uploaded', { room: access.room.productId, user: principal.userId, bytes: image.full.length });
      return c.json(
        { id, width: image.width, height: image.height, previewUrl: deps.signer.url(id, 'preview'), url: deps.signer.url(id, 'full') },
        201,
      );
    },
  );

  api.get('/attachments/:id/:variant', async (c) => {
    const id = c.req.param('id');
    const variant = c.req.param('variant');
    if (!ATTACHMENT_ID_PATTERN.test(id) || (variant !== 'full' && variant !== 'preview')) {
      throw new ChatError('NOT_FOUND', 'There is no such image.');
    }
    const exp = c.req.query('exp');
    if (!deps.signer.verify(id, variant, exp, c.req.query('sig'))) {
      throw new ChatError('FORBIDDEN', 'This image link has expired or is not valid; reopen the chat for a fresh one.');
    }
    const record = await deps.store.attachments.get(id);
    const data = record ? await deps.blobs.get(`${id}.${variant}`) : null;
    if (!record || !data) throw new ChatError('NOT_FOUND', 'This image was removed.');
    const maxAge = Math.max(0, Math.floor(Number(exp) - deps.now() / 1000));
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': record.mime,
      'Content-Length': String(data.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      'Cross-Origin-Resource-Policy': 'cross-origin',
      // The URL is the permission, so shared caches keep out; the bytes under one id never change.
      'Cache-Control': `private, max-age=${String(maxAge)}, immutable`,
    });
  });

  return api;
}
