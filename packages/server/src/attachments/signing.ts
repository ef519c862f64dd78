import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DESTINATIONS, type Attachment } from '@groupbuy/protocol';
import type { AttachmentRecord } from '../stores/attachment-types.js';

/** Which file of an upload. */
export type Variant = 'full' | 'preview';

/** How long a minted image URL works, by default, in ms (a reader gets fresh ones with each history page). */
export const DEFAULT_URL_TTL_MS = 24 * 3600 * 1000;

// Expiry is rounded up to the hour: every reader in that hour gets the same URL, so browsers and CDNs cache it.
const ROUND_MS = 3600 * 1000;

/**
 * Mints and checks the HMAC-signed, expiring image URLs (`…/attachments/{id}/{variant}?exp=&sig=`): an
 * `<img>` works across origins without a token, and only whoever was served a message (a reader of its
 * room) holds a URL for its images. The URLs are paths on the chat server; clients resolve them against
 * the server's base URL.
 */
export class UrlSigner {
  private readonly key: Buffer;

  /** `secret`: keeps URLs valid across restarts and instances; a random one (this process only) when absent. */
  constructor(
    secret: string | undefined,
    private readonly ttlMs: number = DEFAULT_URL_TTL_MS,
    private readonly now: () => number = () => Date.now(),
  ) {
    // Derived, so the JWT secret itself never signs anything but tokens.
    this.key = createHmac('sha256', secret ?? randomBytes(32))
      .update('groupbuy-chat attachment urls v1')
      .digest();
  }

  private mac(id: string, variant: Variant, expSec: number): string {
    return createHmac('sha256', this.key).update(`${id}\n${variant}\n${expSec}`).digest('base64url');
  }

  /** A URL for one file of an upload. */
  url(id: string, variant: Variant): string {
    const expSec = Math.ceil((this.now() + this.ttlMs) / ROUND_MS) * (ROUND_MS / 1000);
    return `${DESTINATIONS.apiBase}/attachments/${id}/${variant}?exp=${expSec}&sig=${this.mac(id, variant, expSec)}`;
  }

  /** True when `sig` was minted here for (id, variant, exp) and `exp` has not passed. */
  verify(id: string, variant: Variant, exp: string | undefined, sig: string | undefined): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
    const expSec = Number(exp);
    if (expSec * 1000 <= this.now()) return false;
    const want = Buffer.from(this.mac(id, variant, expSec));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** The wire form of an upload a message carries, with fresh URLs. */
  attachment(record: AttachmentRecord): Attachment {
    return {
      id: record.id,
      width: record.width,
      height: record.height,
      previewUrl: this.url(record.id, 'preview'),
      url: this.url(record.id, 'full'),
      alt: record.alt,
    };
  }
}
