import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LEGACY_KEY_ID, createAesGcmCipher, createKeyring, parseContentKeys, plainCipher } from './content-cipher.js';

function flipFirstByte(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function tamper(stored: string, part: 1 | 2 | 3): string {
  const parts = stored.split(':');
  parts[part] = flipFirstByte(parts[part] ?? '');
  return parts.join(':');
}

describe('createAesGcmCipher', () => {
  const cipher = createAesGcmCipher(randomBytes(32));

  it('round-trips text, including Korean, emoji and an empty string', () => {
    for (const text of ['hello', '공동구매 참여합니다 🙌', 'line 1\nline 2', '', 'a:b:c:d']) {
      expect(cipher.decrypt(cipher.encrypt(text))).toBe(text);
    }
  });

  it('stores v1:<iv>:<tag>:<ciphertext> with a 12-byte IV and a 16-byte tag', () => {
    const [version, iv, tag, body, ...rest] = cipher.encrypt('hello').split(':');
    expect(version).toBe('v1');
    expect(Buffer.from(iv ?? '', 'base64')).toHaveLength(12);
    expect(Buffer.from(tag ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(body ?? '', 'base64')).toHaveLength(5);
    expect(rest).toEqual([]);
  });

  it('uses a fresh IV for every message, so equal texts look different', () => {
    const a = cipher.encrypt('same');
    const b = cipher.encrypt('same');
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
  });

  it('throws when the ciphertext, the tag or the IV was altered', () => {
    const stored = cipher.encrypt('pay 10,000 won');
    for (const part of [1, 2, 3] as const) {
      expect(() => cipher.decrypt(tamper(stored, part))).toThrow();
    }
  });

  it('throws for a value written under another key', () => {
    const other = createAesGcmCipher(randomBytes(32));
    expect(() => cipher.decrypt(other.encrypt('hello'))).toThrow(/failed authentication/);
  });

  it('throws for a value that is not in the v1 format, without echoing it', () => {
    for (const stored of ['plain text', 'v2:a:b:c', 'v1:onlytwo', '']) {
      expect(() => cipher.decrypt(stored)).toThrow(/not in the v1 AES-GCM format/);
    }
    expect(() => cipher.decrypt('my secret')).not.toThrow(/my secret/);
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => createAesGcmCipher(randomBytes(16))).toThrow(RangeError);
  });

  it('keeps working after the caller reuses its key buffer', () => {
    const key = randomBytes(32);
    const c = createAesGcmCipher(key);
    const stored = c.encrypt('kept');
    key.fill(0);
    expect(c.decrypt(stored)).toBe('kept');
  });
});

describe('parseContentKeys', () => {
  const a = randomBytes(32).toString('base64');
  const b = randomBytes(32).toString('base64');

  it('reads an ordered id:base64 list, the first key first', () => {
    const keys = parseContentKeys(` k2:${b} , k1:${a} `);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[1]?.key.toString('base64')).toBe(a);
  });

  it('reads a bare base64 key (CHAT_CONTENT_KEY, the key file) as the one key "legacy"', () => {
    expect(parseContentKeys(a).map((k) => k.id)).toEqual([LEGACY_KEY_ID]);
  });

  it('rejects a short key, a malformed or repeated id and an empty list, without echoing a key', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseContentKeys(`k1:${short}`)).toThrow(/"k1" must be 32 bytes/);
    expect(() => parseContentKeys(`k 1:${a}`)).toThrow(/id:base64/);
    expect(() => parseContentKeys(`k1:${a},${b}`)).toThrow(/id:base64/);
    expect(() => parseContentKeys(`k1:${a},k1:${b}`)).toThrow(/distinct/);
    expect(() => parseContentKeys(' , ')).toThrow(/No content key/);
    expect(() => parseContentKeys(`k1:${short}`)).not.toThrow(short);
  });
});

describe('createKeyring', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('encrypts under the first key and reads rows by the key id they carry', () => {
    const old = createKeyring([k1]);
    const rotated = createKeyring([k2, k1]);
    expect(rotated.keyId).toBe('k2');
    const before = old.encrypt('written under k1');
    expect(rotated.decrypt(before, 'k1')).toBe('written under k1');
    expect(rotated.decrypt(rotated.encrypt('under k2'), 'k2')).toBe('under k2');
    expect(() => rotated.decrypt(before, 'k2')).toThrow(/failed authentication/);
  });

  it('refuses a key id that is not configured, and a row stored without encryption', () => {
    const onlyK2 = createKeyring([k2]);
    expect(() => onlyK2.decrypt(createKeyring([k1]).encrypt('x'), 'k1')).toThrow(/content key "k1", which is not configured/);
    expect(() => onlyK2.decrypt('plain', null)).toThrow(/without encryption/);
  });

  it('is what createAesGcmCipher builds for one key, with the id "legacy" unless given', () => {
    expect(createAesGcmCipher(k1.key).keyId).toBe(LEGACY_KEY_ID);
    expect(createAesGcmCipher(k1.key, 'k1').decrypt(createKeyring([k1]).encrypt('same'), 'k1')).toBe('same');
  });
});

describe('plainCipher', () => {
  it('stores content unchanged', () => {
    expect(plainCipher.encrypt('hello')).toBe('hello');
    expect(plainCipher.decrypt('hello')).toBe('hello');
  });
});
