import { escapeIdentifier, type Pool } from 'pg';
import type { AttachmentRecord, AttachmentStore, ClaimRef } from './attachment-types.js';
import { attachmentValues, checkClaim, insertAttachmentSql, toAttachment, type AttachmentRow } from './attachment-rows.js';
import { inTransaction } from './postgres/pool.js';

/** The PostgreSQL side of the attachment store methods (issue 12), on the PostgresStore's pool. */
export class PostgresAttachments implements AttachmentStore {
  private readonly t: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = `${escapeIdentifier(schema)}.attachments`;
  }

  async save(record: AttachmentRecord): Promise<void> {
    await this.pool.query(insertAttachmentSql(true, this.t), attachmentValues(record));
  }

  async get(id: string): Promise<AttachmentRecord | null> {
    const { rows } = await this.pool.query<AttachmentRow>(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    const row = rows[0];
    return row ? toAttachment(row) : null;
  }

  claimFor(productId: string, uploaderId: string, refs: readonly ClaimRef[], key: string): Promise<AttachmentRecord[]> {
    return inTransaction(this.pool, async (client) => {
      // FOR UPDATE: two sends naming the same upload queue here; the second sees the first's claim.
      const { rows } = await client.query<AttachmentRow>(`SELECT * FROM ${this.t} WHERE id = ANY($1::text[]) FOR UPDATE`, [
        refs.map((r) => r.id),
      ]);
      const found = new Map(rows.map((row) => [row.id, toAttachment(row)]));
      const claimed = checkClaim(productId, uploaderId, refs, key, found);
      for (const r of claimed) {
        await client.query(`UPDATE ${this.t} SET alt = $1, claim_key = $2, position = $3 WHERE id = $4`, [r.alt, key, r.position, r.id]);
      }
      return claimed;
    });
  }

  async bindTo(productId: string, seq: number, ids: readonly string[]): Promise<void> {
    await this.pool.query(`UPDATE ${this.t} SET message_seq = $1 WHERE room_id = $2 AND id = ANY($3::text[])`, [seq, productId, [...ids]]);
  }

  async ofMessages(productId: string, seqs: readonly number[]): Promise<AttachmentRecord[]> {
    if (seqs.length === 0) return [];
    const { rows } = await this.pool.query<AttachmentRow>(
      `SELECT * FROM ${this.t} WHERE room_id = $1 AND message_seq = ANY($2::bigint[]) ORDER BY message_seq, position`,
      [productId, [...seqs]],
    );
    return rows.map(toAttachment);
  }

  async orphansBefore(beforeMs: number, limit: number): Promise<AttachmentRecord[]> {
    const { rows } = await this.pool.query<AttachmentRow>(
      `SELECT * FROM ${this.t} WHERE message_seq IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [beforeMs, limit],
    );
    return rows.map(toAttachment);
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.t} WHERE id = ANY($1::text[])`, [[...ids]]);
  }
}
