import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';

/**
 * Turns chat content into what a store writes to disk and back. Stores call it for every message's
 * `content` and nothing else, so a copied database file does not give away the conversations.
 */
export interface ContentCipher {
  /** The id of the key {@link encrypt} writes under, stored in each row's `key_id`; null when content is stored as is. */
  readonly keyId: string | null;
  /** The stored form of `plain`, under the key {@link keyId}. */
  encrypt(plain: string): string;
  /**
   * The plain text of a stored value written under the key `keyId` (the row's `key_id`; omitted: {@link keyId}).
   * Throws when the value was altered, the key is not configured, or it was written under another key.
   */
  decrypt(stored: string, keyId?: string | null): string;
}

/** Stores content as it is: the default when no key is configured (development, tests). Ignores key ids. */
export const plainCipher: ContentCipher = {
  keyId: null,
  encrypt: (plain) => plain,
  decrypt: (stored) => stored,
};

/** One content key: the id stored on the rows it encrypts and the 32 AES-256 bytes. */
export interface ContentKey {
  /** 1–32 characters of `A-Z a-z 0-9 _ -`, stored per row. */
  readonly id: string;
  /** The 32-byte key. */
  readonly key: Buffer;
}

/**
 * The id of the one key given as `CHAT_CONTENT_KEY` or the key file: rows written before key ids existed
 * carry it (migration 2), so `CHAT_CONTENT_KEYS=new:…,legacy:<old key>` rotates away from it.
 */
export const LEGACY_KEY_ID = 'legacy';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** The key file of a SQLite database when no key is configured: `<database path>.key`, base64, mode 0600. */
export function contentKeyFile(dbPath: string): string {
  return `${dbPath}.key`;
}

/**
 * Parses `CHAT_CONTENT_KEYS` (`id:base64,id:base64`, the first encrypts) or a bare base64 key
 * (`CHAT_CONTENT_KEY`, the key file: one key with the id {@link LEGACY_KEY_ID}). Never echoes a key.
 */
export function parseContentKeys(value: string): ContentKey[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bare = entries.length === 1 && !entries[0]?.includes(':');
  const keys = entries.map((entry, i): ContentKey => {
    const colon = entry.indexOf(':');
    const id = bare ? LEGACY_KEY_ID : entry.slice(0, colon);
    if (!bare && (colon < 0 || !KEY_ID.test(id))) {
      throw new Error(`Content key ${i + 1} must look like id:base64 with an id of 1-32 letters, digits, _ or -.`);
    }
    const key = Buffer.from(bare ? entry : entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`Content key "${id}" must be 32 bytes, base64-encoded.`);
    return { id, key };
  });
  if (keys.length === 0) throw new Error('No content key given.');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('Content key ids must be distinct.');
  return keys;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
// 96-bit IVs are GCM's native size (NIST SP 800-38D §8.2); any other length is hashed into one first.
const IV_BYTES = 12;
// The full 128-bit tag: shorter tags weaken forgery resistance and Node deprecates accepting them.
const TAG_BYTES = 16;

// IVs come from a pool of random bytes refilled 341 IVs at a time: one call into the CSPRNG per pool instead
// of one per message. Each 12-byte slice is handed out once and used before encrypt() returns (the pool is
// only refilled on a later call), so no IV is ever repeated.
const IV_POOL = Buffer.alloc(IV_BYTES * 341);
let ivOffset = IV_POOL.length;
function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * AES-256-GCM content encryption under one key, with a fresh random 12-byte IV per message, stored as
 * `v1:<iv base64>:<tag base64>:<ciphertext base64>`. `key` is 32 bytes (for example from
 * `openssl rand -base64 32`); `id` is the key id stored per row. @default id {@link LEGACY_KEY_ID}
 */
export function createAesGcmCipher(key: Buffer, id: string = LEGACY_KEY_ID): ContentCipher {
  return createKeyring([{ id, key }]);
}

/**
 * AES-256-GCM content encryption over an ordered key list (`CHAT_CONTENT_KEYS`): new rows under the first
 * key, every row read under the key its `key_id` names, so rows written before a rotation stay readable
 * until `groupbuy-server rekey` has moved them to the first key.
 */
export function createKeyring(keys: readonly ContentKey[]): ContentCipher {
  const first = keys[0];
  if (!first) throw new RangeError('A keyring needs at least one key.');
  // KeyObjects made once: each message's cipher then starts from the key object instead of copying raw bytes.
  const secrets = new Map<string, KeyObject>();
  for (const { id, key } of keys) {
    if (key.length !== KEY_BYTES) {
      throw new RangeError(`An AES-256-GCM key is ${KEY_BYTES} bytes; this one has ${key.length}.`);
    }
    if (!KEY_ID.test(id) || secrets.has(id)) throw new RangeError(`Content key id "${id}" is malformed or repeated.`);
    // A private copy, so a caller zeroing or reusing its buffer cannot change the key under us.
    secrets.set(id, createSecretKey(Buffer.from(key)));
  }
  const current = secrets.get(first.id);
  if (!current) throw new RangeError('A keyring needs at least one key.');

  return {
    keyId: first.id,

    encrypt(plain: string): string {
      // Random IVs are safe up to ~2^32 messages per key (SP 800-38D §8.3); rotate keys well before that.
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
    },

    decrypt(stored: string, keyId?: string | null): string {
      if (keyId === null) throw new Error('Stored content has no key id: it was written without encryption.');
      const secret = keyId === undefined ? current : secrets.get(keyId);
      if (!secret) {
        throw new Error(`Stored content was written under the content key "${keyId}", which is not configured (CHAT_CONTENT_KEYS).`);
      }
      // The three separators found by index, not split(): a page decrypts 50 of these, and every array
      // and Buffer.concat saved counts (~15% of a decrypt, scenario 4).
      const ivAt = stored.indexOf(':') + 1;
      const tagAt = ivAt === 0 ? -1 : stored.indexOf(':', ivAt) + 1;
      const bodyAt = tagAt <= 0 ? -1 : stored.indexOf(':', tagAt) + 1;
      if (bodyAt <= 0 || stored.indexOf(':', bodyAt) !== -1 || stored.slice(0, ivAt - 1) !== VERSION) {
        // Never echo `stored`: an error message may reach a log, and the value may be plain text.
        throw new Error('Stored content is not in the v1 AES-GCM format.');
      }
      const iv = Buffer.from(stored.slice(ivAt, tagAt - 1), 'base64');
      const tag = Buffer.from(stored.slice(tagAt, bodyAt - 1), 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new Error('Stored content has a malformed IV or authentication tag.');
      }
      const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      try {
        const head = decipher.update(Buffer.from(stored.slice(bodyAt), 'base64'));
        // final() checks the tag (nothing is returned before it passed); GCM, a stream mode, adds no bytes there.
        const tail = decipher.final();
        return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
      } catch (cause) {
        throw new Error('Stored content failed authentication: it was altered or written under another key.', {
          cause,
        });
      }
    },
  };
}
