import type { Hono } from 'hono';
import { LIMITS } from '@groupbuy/protocol';
import type { AttachmentModule, AttachmentModuleDeps } from './types.js';
import type { BlobStore } from './blobs.js';
import { attachmentRoutes } from './routes.js';
import { UrlSigner } from './signing.js';
import { withAttachments } from './store-hook.js';
import { OrphanSweeper } from './sweep.js';
import { RateLimiter, type RateLimit } from '../rooms/rate-limit.js';
import { DEFAULT_UPLOAD_LIMIT } from './upload-limit.js';

/** How attachments (issue 12) are kept and served. */
export interface AttachmentOptions {
  /** Where image bytes go (FsBlobStore under the data directory by default in startServer). */
  blobs: BlobStore;
  /** Largest upload, in bytes (ATTACHMENT_MAX_BYTES). @default LIMITS.attachmentMaxBytes (10 MB) */
  maxBytes?: number;
  /** Signs image URLs (ATTACHMENT_URL_SECRET). @default derived from the JWT secret, else random per process */
  urlSecret?: string;
  /** How long a minted image URL works, in ms. @default 24 h */
  urlTtlMs?: number;
  /** Uploads per user, per instance (ATTACHMENT_UPLOAD_LIMIT). @default DEFAULT_UPLOAD_LIMIT (20 per minute) */
  uploadLimit?: RateLimit;
}

/**
 * The attachments feature for the Node server (sharp, node:crypto, files). assembleCore takes it as an
 * opaque {@link AttachmentModule}, so the core itself still imports no Node built-in (it also runs in a page).
 */
export function attachmentModule(options: AttachmentOptions): AttachmentModule {
  let signer: UrlSigner | null = null;
  const signerFor = (deps: Pick<AttachmentModuleDeps, 'jwtSecret' | 'now'>): UrlSigner =>
    (signer ??= new UrlSigner(options.urlSecret ?? deps.jwtSecret, options.urlTtlMs, deps.now));
  return {
    wrapStore: (store, deps) => withAttachments(store, signerFor(deps), options.blobs),
    routes: (deps): Hono =>
      attachmentRoutes({
        ...deps,
        blobs: options.blobs,
        signer: signerFor(deps),
        maxBytes: options.maxBytes ?? LIMITS.attachmentMaxBytes,
        uploadLimiter: new RateLimiter(options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT, deps.now),
      }),
    sweeper: (store, deps) => new OrphanSweeper(store, options.blobs, deps.now, deps.logger),
  };
}
