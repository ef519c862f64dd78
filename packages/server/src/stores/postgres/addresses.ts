import { escapeIdentifier, type Pool } from 'pg';
import type { ShippingAddress, ShippingAddressInput } from '@groupbuy/protocol';
import { openAddress, sealAddress, toShippingAddress, type AddressStore, type StoredAddress } from '../addresses.js';
import type { ContentCipher } from '../content-cipher.js';
import { notFound } from '../rows.js';

type AddressRow = { user_id: string; data: string; key_id: string | null };

/**
 * Shipping addresses (issue 11) of {@link PostgresStore}: the `addresses` table of migration v4, every field
 * sealed under the address keyring (`cipher`). Each call is one statement, so it needs no transaction.
 */
export class PostgresAddresses implements AddressStore {
  private readonly sql: { upsert: string; one: string; room: string; remove: string; purge: string };

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly cipher: ContentCipher,
  ) {
    const s = escapeIdentifier(schema);
    this.sql = {
      // INSERT … SELECT FROM rooms: a missing room inserts nothing (rowCount 0) instead of a foreign-key error.
      upsert: `INSERT INTO ${s}.addresses (room_id, user_id, data, key_id, updated_at)
               SELECT product_id, $2, $3, $4, $5 FROM ${s}.rooms WHERE product_id = $1
               ON CONFLICT (room_id, user_id) DO UPDATE SET data = EXCLUDED.data, key_id = EXCLUDED.key_id, updated_at = EXCLUDED.updated_at`,
      one: `SELECT user_id, data, key_id FROM ${s}.addresses WHERE room_id = $1 AND user_id = $2`,
      room: `SELECT user_id, data, key_id FROM ${s}.addresses WHERE room_id = $1`,
      remove: `DELETE FROM ${s}.addresses WHERE room_id = $1 AND user_id = $2`,
      purge: `DELETE FROM ${s}.addresses a USING ${s}.rooms r
              WHERE a.room_id = r.product_id AND r.status <> 'ACTIVE' AND r.closed_at IS NOT NULL AND r.closed_at <= $1`,
    };
  }

  async save(productId: string, userId: string, input: ShippingAddressInput, nowMs: number): Promise<ShippingAddress> {
    const address = toShippingAddress(input, nowMs);
    const sealed = sealAddress(this.cipher, productId, userId, address);
    const { rowCount } = await this.pool.query(this.sql.upsert, [productId, userId, sealed.data, sealed.keyId, nowMs]);
    if (rowCount === 0) throw notFound(productId);
    return address;
  }

  async get(productId: string, userId: string): Promise<ShippingAddress | null> {
    const row = (await this.pool.query<AddressRow>(this.sql.one, [productId, userId])).rows[0];
    return row ? this.open(productId, row) : null;
  }

  async list(productId: string): Promise<StoredAddress[]> {
    const { rows } = await this.pool.query<AddressRow>(this.sql.room, [productId]);
    return rows.map((row) => ({ userId: row.user_id, address: this.open(productId, row) }));
  }

  async remove(productId: string, userId: string): Promise<boolean> {
    return ((await this.pool.query(this.sql.remove, [productId, userId])).rowCount ?? 0) > 0;
  }

  async purgeEnded(endedBeforeMs: number): Promise<number> {
    return (await this.pool.query(this.sql.purge, [endedBeforeMs])).rowCount ?? 0;
  }

  private open(productId: string, row: AddressRow): ShippingAddress {
    return openAddress(this.cipher, productId, row.user_id, { data: row.data, keyId: row.key_id });
  }
}
