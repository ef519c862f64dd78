import type Database from 'better-sqlite3';
import type { ShippingAddress, ShippingAddressInput } from '@groupbuy/protocol';
import { openAddress, sealAddress, toShippingAddress, type AddressStore, type StoredAddress } from './addresses.js';
import type { ContentCipher } from './content-cipher.js';
import { notFound } from './rows.js';

type AddressRow = { user_id: string; data: string; key_id: string | null };

/**
 * Shipping addresses (issue 11) of {@link SqliteStore}: the `addresses` table of migration v4, every field
 * sealed under the address keyring (`cipher`), on the store's connection. Statements are prepared on first
 * use, after the store's migrations made the table.
 */
export class SqliteAddresses implements AddressStore {
  private readonly roomExists: Database.Statement<[string], { one: number }>;
  private readonly upsert: Database.Statement<[string, string, string, string | null, number]>;
  private readonly selectOne: Database.Statement<[string, string], AddressRow>;
  private readonly selectRoom: Database.Statement<[string], AddressRow>;
  private readonly deleteOne: Database.Statement<[string, string]>;
  private readonly deleteEnded: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    private readonly cipher: ContentCipher,
  ) {
    this.roomExists = db.prepare('SELECT 1 AS one FROM rooms WHERE product_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO addresses (room_id, user_id, data, key_id, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (room_id, user_id) DO UPDATE SET data = excluded.data, key_id = excluded.key_id, updated_at = excluded.updated_at`,
    );
    this.selectOne = db.prepare('SELECT user_id, data, key_id FROM addresses WHERE room_id = ? AND user_id = ?');
    this.selectRoom = db.prepare('SELECT user_id, data, key_id FROM addresses WHERE room_id = ?');
    this.deleteOne = db.prepare('DELETE FROM addresses WHERE room_id = ? AND user_id = ?');
    // closed_at is set when a room is settled, CLOSED or CANCELLED alike.
    this.deleteEnded = db.prepare(
      `DELETE FROM addresses WHERE room_id IN
         (SELECT product_id FROM rooms WHERE status <> 'ACTIVE' AND closed_at IS NOT NULL AND closed_at <= ?)`,
    );
  }

  async save(productId: string, userId: string, input: ShippingAddressInput, nowMs: number): Promise<ShippingAddress> {
    if (!this.roomExists.get(productId)) throw notFound(productId);
    const address = toShippingAddress(input, nowMs);
    const sealed = sealAddress(this.cipher, productId, userId, address);
    this.upsert.run(productId, userId, sealed.data, sealed.keyId, nowMs);
    return address;
  }

  async get(productId: string, userId: string): Promise<ShippingAddress | null> {
    const row = this.selectOne.get(productId, userId);
    return row ? this.open(productId, row) : null;
  }

  async list(productId: string): Promise<StoredAddress[]> {
    return this.selectRoom.all(productId).map((row) => ({ userId: row.user_id, address: this.open(productId, row) }));
  }

  async remove(productId: string, userId: string): Promise<boolean> {
    return this.deleteOne.run(productId, userId).changes > 0;
  }

  async purgeEnded(endedBeforeMs: number): Promise<number> {
    return this.deleteEnded.run(endedBeforeMs).changes;
  }

  private open(productId: string, row: AddressRow): ShippingAddress {
    return openAddress(this.cipher, productId, row.user_id, { data: row.data, keyId: row.key_id });
  }
}
