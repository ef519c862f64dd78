import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Turns chat content into what a store writes to disk and back. Stores call it for every message's
 * `content` and nothing else, so a copied database file does not give away the conversations.
 */
export interface ContentCipher {
  /** The stored form of `plain`. */
  encrypt(plain: string): string;
  /** The plain text of a stored value; throws when the value was altered or was written under another key. */
  decrypt(stored: string): string;
}

/** Stores content as it is: the default when no key is configured (development, tests). */
export const plainCipher: ContentCipher = {
  encrypt: (plain) => plain,
  decrypt: (stored) => stored,
};

const VERSION = 'v1';
const KEY_BYTES = 32;
// 96-bit IVs are GCM's native size (NIST SP 800-38D §8.2); any other length is hashed into one first.
const IV_BYTES = 12;
// The full 128-bit tag: shorter tags weaken forgery resistance and Node deprecates accepting them.
const TAG_BYTES = 16;

/**
 * AES-256-GCM content encryption with a fresh random 12-byte IV per message, stored as
 * `v1:<iv base64>:<tag base64>:<ciphertext base64>`. `key` is 32 bytes (for example from
 * `openssl rand -base64 32`); the `v1` prefix leaves room to rotate the scheme later.
 */
export function createAesGcmCipher(key: Buffer): ContentCipher {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`An AES-256-GCM key is ${KEY_BYTES} bytes; this one has ${key.length}.`);
  }
  // A private copy, so a caller zeroing or reusing its buffer cannot change the key under us.
  const secret = Buffer.from(key);

  return {
    encrypt(plain: string): string {
      // Random IVs are safe up to ~2^32 messages per key (SP 800-38D §8.3); rotate keys well before that.
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
    },

    decrypt(stored: string): string {
      const parts = stored.split(':');
      const [version, ivB64, tagB64, bodyB64] = parts;
      if (parts.length !== 4 || version !== VERSION || ivB64 === undefined || tagB64 === undefined || bodyB64 === undefined) {
        // Never echo `stored`: an error message may reach a log, and the value may be plain text.
        throw new Error('Stored content is not in the v1 AES-GCM format.');
      }
      const iv = Buffer.from(ivB64, 'base64');
      const tag = Buffer.from(tagB64, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new Error('Stored content has a malformed IV or authentication tag.');
      }
      const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      try {
        const plain = Buffer.concat([decipher.update(Buffer.from(bodyB64, 'base64')), decipher.final()]);
        return plain.toString('utf8');
      } catch (cause) {
        throw new Error('Stored content failed authentication: it was altered or written under another key.', {
          cause,
        });
      }
    },
  };
}
