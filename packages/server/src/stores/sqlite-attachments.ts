import type Database from 'better-sqlite3';
import type { AttachmentRecord, AttachmentStore, ClaimRef } from './attachment-types.js';
import { attachmentValues, checkClaim, insertAttachmentSql, toAttachment, type AttachmentRow } from './attachment-rows.js';

/** The SQLite side of the attachment store methods (issue 12), on the SqliteStore's connection. */
export class SqliteAttachments implements AttachmentStore {
  private readonly insert: Database.Statement<(string | number | null)[]>;
  private readonly select: Database.Statement<[string], AttachmentRow>;
  private readonly claim: Database.Statement<[string, string, number, string]>;
  private readonly bind: Database.Statement<[number, string, string]>;
  private readonly orphans: Database.Statement<[number, number], AttachmentRow>;
  private readonly remove: Database.Statement<[string]>;
  private readonly inSeqRange: Database.Statement<[string, number, number], AttachmentRow>;
  private readonly txClaim: Database.Transaction<(p: string, u: string, refs: readonly ClaimRef[], key: string) => AttachmentRecord[]>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare<(string | number | null)[]>(insertAttachmentSql(false));
    this.select = db.prepare('SELECT * FROM attachments WHERE id = ?');
    this.claim = db.prepare('UPDATE attachments SET alt = ?, claim_key = ?, position = ? WHERE id = ?');
    this.bind = db.prepare('UPDATE attachments SET message_seq = ? WHERE room_id = ? AND id = ?');
    this.orphans = db.prepare('SELECT * FROM attachments WHERE message_seq IS NULL AND created_at < ? ORDER BY created_at LIMIT ?');
    this.remove = db.prepare('DELETE FROM attachments WHERE id = ?');
    // One statement prepared once for every page (an IN list would be prepared per length): the seqs of a
    // page are one short range of the attachments_message index, filtered to the asked ones below.
    this.inSeqRange = db.prepare(
      'SELECT * FROM attachments WHERE room_id = ? AND message_seq BETWEEN ? AND ? ORDER BY message_seq, position',
    );
    this.txClaim = db.transaction((productId, uploaderId, refs, key) => {
      const found = new Map<string, AttachmentRecord>();
      for (const ref of refs) {
        const row = this.select.get(ref.id);
        if (row) found.set(row.id, toAttachment(row));
      }
      const claimed = checkClaim(productId, uploaderId, refs, key, found);
      for (const r of claimed) this.claim.run(r.alt, key, r.position, r.id);
      return claimed;
    });
  }

  save(record: AttachmentRecord): Promise<void> {
    this.insert.run(...attachmentValues(record));
    return Promise.resolve();
  }

  get(id: string): Promise<AttachmentRecord | null> {
    const row = this.select.get(id);
    return Promise.resolve(row ? toAttachment(row) : null);
  }

  claimFor(productId: string, uploaderId: string, refs: readonly ClaimRef[], key: string): Promise<AttachmentRecord[]> {
    try {
      return Promise.resolve(this.txClaim.immediate(productId, uploaderId, refs, key));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  bindTo(productId: string, seq: number, ids: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.bind.run(seq, productId, id);
    })();
    return Promise.resolve();
  }

  ofMessages(productId: string, seqs: readonly number[]): Promise<AttachmentRecord[]> {
    if (seqs.length === 0) return Promise.resolve([]);
    const wanted = new Set(seqs);
    const rows = this.inSeqRange.all(productId, Math.min(...seqs), Math.max(...seqs));
    return Promise.resolve(rows.filter((r) => r.message_seq !== null && wanted.has(Number(r.message_seq))).map(toAttachment));
  }

  orphansBefore(beforeMs: number, limit: number): Promise<AttachmentRecord[]> {
    return Promise.resolve(this.orphans.all(beforeMs, limit).map(toAttachment));
  }

  delete(ids: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.remove.run(id);
    })();
    return Promise.resolve();
  }
}
