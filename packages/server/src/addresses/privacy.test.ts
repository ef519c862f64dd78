import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../logger.js';
import { createAesGcmCipher } from '../stores/content-cipher.js';
import { PostgresStore } from '../stores/postgres.js';
import { addressCipherFor } from './keys.js';
import { api, createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';
import { TEST_DATABASE_URL, dropSchema } from '../test-support/instances.js';

// Issue 11: a shipping address is never in a message, a log line, a metric or an error, and never in the
// database files as plain text. Distinctive values go through every route (and every refusal), then the
// captured logs, /metrics, history and the stored bytes are searched for them.

const CANARY = {
  recipient: '김카나리아',
  phone: '010-7777-1234',
  postalCode: '06236',
  line1: 'CANARYSTREET 77 가나다로',
  line2: 'CANARYUNIT 9동',
  memo: 'CANARYMEMO 벨 누르지 마세요',
};
const SECRETS = [CANARY.recipient, CANARY.phone, '01077771234', 'CANARYSTREET', '가나다로', 'CANARYUNIT', 'CANARYMEMO', '벨 누르지'];

function expectNoSecret(haystack: string, where: string): void {
  for (const secret of SECRETS) expect(haystack.includes(secret), `${where} contains "${secret}"`).toBe(false);
}

/** Every address route and refusal, with the canary values; returns what the clients saw that must hold them. */
async function exercise(server: TestServer): Promise<void> {
  const [buyer, other, watcher, seller, service] = await Promise.all([
    tokenFor('buyer-1'),
    tokenFor('buyer-2'),
    tokenFor('watcher'),
    tokenFor('seller-7'),
    tokenFor('trade-service', { role: 'service' }),
  ]);
  const room = await createRoom(server, { hostId: 'seller-7' });
  const base = `/api/chat/rooms/${room.productId}`;
  for (const token of [buyer, other]) expect((await api(server, 'POST', `${base}/participants`, { token })).status).toBe(201);
  expect((await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, body: CANARY })).status).toBe(200);
  expect(
    (await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, body: { ...CANARY, memo: `${CANARY.memo}!` } })).status,
  ).toBe(200);
  expect((await api(server, 'PUT', `${base}/participants/me/address`, { token: other, body: CANARY })).status).toBe(200);
  expect((await api(server, 'GET', `${base}/participants/me/address`, { token: buyer })).body.recipient).toBe(CANARY.recipient);
  const listed = await api(server, 'GET', `${base}/addresses`, { token: seller });
  expect(listed.body.addresses).toHaveLength(2);
  expect((await api(server, 'GET', `${base}/addresses`, { token: service })).status).toBe(200);
  const csv = await api(server, 'GET', `${base}/addresses?format=csv`, { token: seller });
  expect(String(csv.body)).toContain(CANARY.line1);

  // Refusals, each carrying the canary values in what it refuses.
  const refusals: { status: number; body: unknown }[] = [
    await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, body: { ...CANARY, postalCode: CANARY.line1 } }),
    await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, body: { ...CANARY, phone: CANARY.memo } }),
    await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, body: { ...CANARY, recipient: CANARY.line1.repeat(10) } }),
    await api(server, 'PUT', `${base}/participants/me/address`, { token: buyer, rawBody: `{"recipient":"${CANARY.recipient}",` }),
    await api(server, 'PUT', `${base}/participants/me/address`, { token: watcher, body: CANARY }),
    await api(server, 'PUT', '/api/chat/rooms/no-such-room/participants/me/address', { token: buyer, body: CANARY }),
    await api(server, 'PUT', `${base}/participants/me/address`, { token: 'not-a-jwt', body: CANARY }),
    await api(server, 'GET', `${base}/addresses?format=csv`, { token: buyer }),
  ];
  expect(refusals.map((r) => r.status)).toEqual([400, 400, 400, 400, 403, 404, 401, 403]);
  for (const r of refusals) expectNoSecret(JSON.stringify(r.body), 'an error answer');

  // Leaving takes the address; the other buyer deletes theirs; the seller then lists none of them.
  expect((await api(server, 'DELETE', `${base}/participants/me`, { token: other })).status).toBe(200);
  const history = await api(server, 'GET', `${base}/messages?limit=100`, { token: seller });
  expect(history.status).toBe(200);
  expectNoSecret(JSON.stringify(history.body), 'the room history');
  const metrics = await fetch(`${server.url}/metrics`);
  expectNoSecret(await metrics.text(), '/metrics');
}

describe('shipping addresses never leak (SQLite file)', () => {
  const lines: string[] = [];
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ logger: createJsonLogger('debug', (l) => lines.push(l)) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('keeps every address value out of logs, answers of refusals, history, metrics and the database file', async () => {
    await exercise(server);
    expect(lines.some((l) => l.includes('shipping address saved'))).toBe(true);
    expectNoSecret(lines.join('\n'), 'the logs');
    // The key file sits beside the database, apart from the content key.
    expect(existsSync(`${server.dbPath}.address-key`)).toBe(true);
    expect(readFileSync(`${server.dbPath}.address-key`, 'utf8')).not.toBe(readFileSync(`${server.dbPath}.key`, 'utf8'));
    for (const file of [server.dbPath, `${server.dbPath}-wal`]) {
      if (existsSync(file)) expectNoSecret(readFileSync(file).toString('utf8'), file);
    }
  });
});

describe('shipping addresses never leak (PostgreSQL)', () => {
  const lines: string[] = [];
  const schema = `gb_addr_priv_${randomBytes(4).toString('hex')}`;
  let server: TestServer;
  beforeAll(async () => {
    const logger = createJsonLogger('debug', (l) => lines.push(l));
    const addressKeys = `a1:${randomBytes(32).toString('base64')}`;
    const store = await PostgresStore.open({
      connectionString: TEST_DATABASE_URL,
      schema,
      cipher: createAesGcmCipher(randomBytes(32)),
      addressCipher: addressCipherFor(TEST_DATABASE_URL, addressKeys, logger),
      logger,
    });
    server = await startTestServer({ store, logger });
  });
  afterAll(async () => {
    await server.dispose();
    await dropSchema(schema);
  });

  it('keeps every address value out of logs and out of every table, read back as text', async () => {
    await exercise(server);
    expectNoSecret(lines.join('\n'), 'the logs');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const tables = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
      expect(tables.rows.map((t) => t.tablename)).toContain('addresses');
      for (const { tablename } of tables.rows) {
        const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${tablename}" t`);
        expectNoSecret(rows.rows.map((r) => r.row).join('\n'), `table ${tablename}`);
      }
      const sealed = await client.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "${schema}".addresses WHERE key_id = 'a1'`);
      expect(sealed.rows[0]?.n).toBe(1);
    } finally {
      await client.end();
    }
  });
});
