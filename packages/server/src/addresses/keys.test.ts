import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { openStore } from '../server.js';
import { addressCipherFor, parseAddressKeys, parseRetentionDays } from './keys.js';

// Where the shipping-address keys come from (ADDRESS_KEYS, the key file, PostgreSQL's refusal) and the
// ADDRESS_RETENTION_DAYS setting.

const KEY = randomBytes(32).toString('base64');

describe('address keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads ADDRESS_KEYS in the CHAT_CONTENT_KEYS format and names the variable, never the key, when malformed', () => {
    expect(parseAddressKeys(`new:${KEY},old:${KEY}`).map((k) => k.id)).toEqual(['new', 'old']);
    expect(parseAddressKeys(KEY).map((k) => k.id)).toEqual(['legacy']);
    const short = randomBytes(16).toString('base64');
    expect(() => parseAddressKeys(`a1:${short}`)).toThrow(/^ADDRESS_KEYS: Address key "a1" must be 32 bytes/);
    try {
      parseAddressKeys(`a1:${short}`);
    } catch (err) {
      expect(String(err)).not.toContain(short);
    }
  });

  it('seals under ADDRESS_KEYS and opens what an older key of the list sealed', () => {
    const old = addressCipherFor('postgres://db/chat', `old:${KEY}`, silentLogger);
    const sealed = old.encrypt('서울');
    const rotated = addressCipherFor('postgres://db/chat', `new:${randomBytes(32).toString('base64')},old:${KEY}`, silentLogger);
    expect(rotated.keyId).toBe('new');
    expect(rotated.decrypt(sealed, 'old')).toBe('서울');
  });

  it('refuses PostgreSQL without ADDRESS_KEYS, before connecting', async () => {
    expect(() => addressCipherFor('postgres://db/chat', undefined, silentLogger)).toThrow(/ADDRESS_KEYS is required with PostgreSQL/);
    expect(() => addressCipherFor('postgresql://db/chat', undefined, silentLogger)).toThrow(/ADDRESS_KEYS/);
    // The start path: content keys alone do not open a PostgreSQL store.
    await expect(openStore('postgres://postgres@127.0.0.1:1/none', KEY, silentLogger)).rejects.toThrow(/ADDRESS_KEYS is required/);
  });

  it('beside a SQLite file makes <db>.address-key once (0600) and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-addrkey-'));
    dirs.push(dir);
    const db = join(dir, 'chat.db');
    const first = addressCipherFor(db, undefined, silentLogger);
    const file = `${db}.address-key`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const second = addressCipherFor(db, undefined, silentLogger);
    expect(second.decrypt(first.encrypt('부산'), first.keyId)).toBe('부산');
  });

  it('uses a key of this process alone for :memory:', () => {
    const cipher = addressCipherFor(':memory:', undefined, silentLogger);
    expect(cipher.decrypt(cipher.encrypt('x'), cipher.keyId)).toBe('x');
  });
});

describe('ADDRESS_KEYS and ADDRESS_RETENTION_DAYS in the configuration', () => {
  const env = { JWT_SECRET: 'x'.repeat(32) };

  it('reads both, and leaves both unset by default', () => {
    const config = loadConfig([], { ...env, ADDRESS_KEYS: `a1:${KEY}`, ADDRESS_RETENTION_DAYS: '14' });
    expect(config.addressKeys).toBe(`a1:${KEY}`);
    expect(config.addressRetentionDays).toBe(14);
    const plain = loadConfig([], env);
    expect(plain.addressKeys).toBeUndefined();
    expect(plain.addressRetentionDays).toBeUndefined();
  });

  it('stops the start on a malformed value', () => {
    expect(() => loadConfig([], { ...env, ADDRESS_KEYS: 'a1:short' })).toThrow(/ADDRESS_KEYS/);
    for (const bad of ['0', '-1', '1.5', 'thirty', '9999']) {
      expect(() => parseRetentionDays(bad)).toThrow(/ADDRESS_RETENTION_DAYS/);
      expect(() => loadConfig([], { ...env, ADDRESS_RETENTION_DAYS: bad })).toThrow(/ADDRESS_RETENTION_DAYS/);
    }
  });
});
