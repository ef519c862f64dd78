import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { MemoryStore } from './memory.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import { describeReadsContract } from './test-support/reads-contract.js';
import type { ChatStore } from './types.js';

// Read positions (issue 12) against the three stores: the same suite, one line each.

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describeReadsContract(
  'MemoryStore',
  async () => {
    const store = new MemoryStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

describeReadsContract(
  'SqliteStore (durable file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-reads-'));
    const open = () => SqliteStore.open({ path: join(dir, 'chat.db') });
    let current: ChatStore = open();
    return {
      store: current,
      reopen: async () => (current = open()),
      cleanup: async () => {
        await current.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { durable: true },
);

describeReadsContract(
  'PostgresStore (durable, fresh schema)',
  async () => {
    const schema = `gb_reads_${randomBytes(6).toString('hex')}`;
    const open = () => PostgresStore.open({ connectionString: DATABASE_URL, schema });
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
  },
  { durable: true },
);
