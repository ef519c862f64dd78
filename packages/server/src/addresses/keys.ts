import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Logger } from '../logger-core.js';
import { addressKeyFile } from '../stores/addresses.js';
import { createKeyring, parseContentKeys, type ContentCipher, type ContentKey } from '../stores/content-cipher.js';

/**
 * Parses ADDRESS_KEYS: the format of CHAT_CONTENT_KEYS (`id:base64,id:base64`, the first seals new
 * addresses, every one opens; or one bare base64 key, id `legacy`). Never echoes a key.
 */
export function parseAddressKeys(value: string): ContentKey[] {
  try {
    return parseContentKeys(value);
  } catch (err) {
    throw new Error(`ADDRESS_KEYS: ${(err as Error).message.replace(/^Content key/, 'Address key').replace(/content key/, 'address key')}`);
  }
}

/**
 * The keyring shipping addresses are sealed under, never the content keys (a leaked content key opens no
 * address): ADDRESS_KEYS when set; else, beside a SQLite file, the key file `<db>.address-key` (made once,
 * 0600); else for `:memory:` a random key of this process (nothing outlives it anyway). PostgreSQL has no
 * local place for a key file, so there ADDRESS_KEYS is required and the start is refused without it.
 */
export function addressCipherFor(databaseUrl: string, addressKeys: string | undefined, logger: Logger): ContentCipher {
  if (addressKeys) return createKeyring(parseAddressKeys(addressKeys));
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      'ADDRESS_KEYS is required with PostgreSQL: shipping addresses are encrypted at rest under their own key (openssl rand -base64 32).',
    );
  }
  if (databaseUrl === ':memory:') return createKeyring([{ id: 'ephemeral', key: randomBytes(32) }]);
  const file = addressKeyFile(databaseUrl);
  if (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    logger.log('info', 'created the shipping-address key file beside the database; set ADDRESS_KEYS to manage it yourself');
  }
  chmodSync(file, 0o600);
  return createKeyring(parseAddressKeys(readFileSync(file, 'utf8').trim()));
}

/** Parses ADDRESS_RETENTION_DAYS: whole days (1–3650) an ended room's addresses are kept. */
export function parseRetentionDays(value: string): number {
  const days = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || days < 1 || days > 3650) {
    throw new Error(`ADDRESS_RETENTION_DAYS "${value}" must be a whole number of days, 1–3650.`);
  }
  return days;
}
