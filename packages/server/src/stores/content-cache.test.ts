import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyring, type ContentCipher } from './content-cipher.js';
import { DecryptedContentCache } from './content-cache.js';
import { SqliteStore } from './sqlite.js';
import { rekeySqlite } from '../rekey.js';

// A real AES-GCM keyring that counts its decrypts.
function counting(cipher: ContentCipher): ContentCipher & { decrypts: number } {
  const c = {
    keyId: cipher.keyId,
    decrypts: 0,
    encrypt: (plain: string) => cipher.encrypt(plain),
    decrypt: (stored: string, keyId?: string | null) => {
      c.decrypts += 1;
      return cipher.decrypt(stored, keyId);
    },
  };
  return c;
}

describe('DecryptedContentCache', () => {
  const key = { id: 'k1', key: randomBytes(32) };

  it('answers a row read again without decrypting, and decrypts a row whose stored value changed', () => {
    const cipher = counting(createKeyring([key]));
    const cache = new DecryptedContentCache(cipher);
    const stored = cipher.encrypt('안녕 hello');
    expect(cache.plain('r', 1, stored, 'k1')).toBe('안녕 hello');
    expect(cache.plain('r', 1, stored, 'k1')).toBe('안녕 hello');
    expect(cipher.decrypts).toBe(1);
    const rewritten = cipher.encrypt('other');
    expect(cache.plain('r', 1, rewritten, 'k1')).toBe('other');
    expect(cipher.decrypts).toBe(2);
  });

  it('forgets one message or a room, and drops the least recently used past its size', () => {
    const cipher = counting(createKeyring([key]));
    const cache = new DecryptedContentCache(cipher, 2);
    const a = cipher.encrypt('a');
    const b = cipher.encrypt('b');
    const c = cipher.encrypt('c');
    cache.remember('r', 1, a, 'k1', 'a');
    cache.remember('r', 2, b, 'k1', 'b');
    cache.plain('r', 1, a, 'k1'); // 1 is now the most recent
    cache.remember('r', 3, c, 'k1', 'c'); // 2 goes
    expect(cipher.decrypts).toBe(0);
    expect(cache.plain('r', 2, b, 'k1')).toBe('b');
    expect(cipher.decrypts).toBe(1);
    cache.forget('r', 3);
    expect(cache.plain('r', 3, c, 'k1')).toBe('c');
    expect(cipher.decrypts).toBe(2);
    cache.forget('r');
    expect(cache.size).toBe(0);
  });

  it('holds at most its size over many misses and keeps the most recent ones', () => {
    const cipher = counting(createKeyring([key]));
    const cache = new DecryptedContentCache(cipher, 8);
    const stored = Array.from({ length: 100 }, (_, i) => cipher.encrypt(`m${i}`));
    stored.forEach((s, i) => cache.plain('r', i, s, 'k1'));
    expect(cipher.decrypts).toBe(100);
    expect(cache.size).toBeLessThanOrEqual(8);
    for (let i = 96; i < 100; i++) expect(cache.plain('r', i, stored[i] ?? '', 'k1')).toBe(`m${i}`);
    expect(cipher.decrypts).toBe(100);
  });
});

describe('SqliteStore with the content cache', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves pages from what it wrote, and reads right after another process rekeys the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-cache-'));
    const path = join(dir, 'c.db');
    const old = { id: 'old', key: randomBytes(32) };
    const fresh = { id: 'new', key: randomBytes(32) };
    const cipher = counting(createKeyring([old, fresh]));
    const store = SqliteStore.open({ path, cipher });
    const now = Date.now();
    const expiresAt = new Date(now + 3600e3).toISOString();
    await store.createRoom({ productId: 'p', title: 't', maxParticipants: 5, minParticipants: 1, expiresAt, hostId: null }, now);
    for (let i = 0; i < 5; i++) {
      await store.append('p', { type: 'CHAT', sender: { userId: 'u', name: 'U' }, content: `m${i}`, allowedStatuses: ['ACTIVE'] }, now);
    }
    const contents = async () => (await store.page('p', { limit: 50 })).messages.map((m) => m.content);
    const expected = ['m0', 'm1', 'm2', 'm3', 'm4'];
    expect((await contents()).slice(-5)).toEqual(expected);
    expect(cipher.decrypts).toBe(0);
    // Rewritten under the other key by the rekey command (its own connection to the file).
    await rekeySqlite(path, createKeyring([fresh, old]));
    expect((await contents()).slice(-5)).toEqual(expected);
    expect(cipher.decrypts).toBeGreaterThanOrEqual(5);
    await store.close();
  });
});

describe('AES-GCM IVs from the pool', () => {
  it('never repeats an IV across more messages than one pool holds', () => {
    const cipher = createKeyring([{ id: 'k', key: randomBytes(32) }]);
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const [, iv = ''] = cipher.encrypt(`m${i}`).split(':');
      ivs.add(iv);
      expect(cipher.decrypt(cipher.encrypt(`x${i}`))).toBe(`x${i}`);
    }
    expect(ivs.size).toBe(2000);
  });
});
