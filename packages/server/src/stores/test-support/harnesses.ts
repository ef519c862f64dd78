import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { MemoryStore } from '../memory.js';
import { PostgresStore, type PostgresStoreOptions } from '../postgres.js';
import { SqliteStore, type SqliteStoreOptions } from '../sqlite.js';
import type { ChatStore } from '../types.js';
import type { ContractHarness } from './contract.js';

// The three stores a feature's contract suite runs on, one line each: `describeXContract('SqliteStore',
// sqliteHarness('reads'), …)`. Options are read once per harness, so a test may pass a fresh key each time.

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

type Lazy<T> = T | (() => T);
const read = <T>(value: Lazy<T> | undefined, fallback: T): T => (typeof value === 'function' ? (value as () => T)() : (value ?? fallback));

/** A fresh in-memory store (not durable: no reopen). */
export function memoryHarness(): () => Promise<ContractHarness> {
  return async () => {
    const store = new MemoryStore();
    return { store, cleanup: () => store.close() };
  };
}

/** A SQLite file in a fresh temp folder, reopened on the same file; the folder is removed afterwards. */
export function sqliteHarness(prefix: string, options?: Lazy<Omit<SqliteStoreOptions, 'path'>>): () => Promise<ContractHarness> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), `groupbuy-${prefix}-`));
    const opts = read(options, {});
    const open = () => SqliteStore.open({ ...opts, path: join(dir, 'chat.db') });
    let current: ChatStore = open();
    return {
      store: current,
      reopen: async () => (current = open()),
      cleanup: async () => {
        await current.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** A fresh PostgreSQL schema, reopened on the same schema; dropped afterwards. */
export function postgresHarness(
  prefix: string,
  options?: Lazy<Omit<PostgresStoreOptions, 'connectionString' | 'schema'>>,
): () => Promise<ContractHarness> {
  return async () => {
    const schema = `gb_${prefix}_${randomBytes(6).toString('hex')}`;
    const opts = read(options, {});
    const open = () => PostgresStore.open({ ...opts, connectionString: DATABASE_URL, schema });
    let current: ChatStore = await open();
    return {
      store: current,
      reopen: async () => (current = await open()),
      cleanup: async () => {
        await current.close();
        const admin = new Client({ connectionString: DATABASE_URL });
        await admin.connect();
        try {
          await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
        } finally {
          await admin.end();
        }
      },
    };
  };
}
