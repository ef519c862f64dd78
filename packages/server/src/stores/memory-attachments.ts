import type { AttachmentRecord, AttachmentStore, ClaimRef } from './attachment-types.js';
import { checkClaim } from './attachment-rows.js';

/** The in-memory side of the attachment store methods (issue 12). */
export class MemoryAttachments implements AttachmentStore {
  private readonly records = new Map<string, AttachmentRecord>();

  save(record: AttachmentRecord): Promise<void> {
    this.records.set(record.id, { ...record });
    return Promise.resolve();
  }

  get(id: string): Promise<AttachmentRecord | null> {
    const r = this.records.get(id);
    return Promise.resolve(r ? { ...r } : null);
  }

  claimFor(productId: string, uploaderId: string, refs: readonly ClaimRef[], key: string): Promise<AttachmentRecord[]> {
    try {
      const claimed = checkClaim(productId, uploaderId, refs, key, this.records);
      for (const r of claimed) this.records.set(r.id, { ...r });
      return Promise.resolve(claimed);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  bindTo(productId: string, seq: number, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const r = this.records.get(id);
      if (r?.roomId === productId) r.messageSeq = seq;
    }
    return Promise.resolve();
  }

  ofMessages(productId: string, seqs: readonly number[]): Promise<AttachmentRecord[]> {
    const wanted = new Set(seqs);
    const out = [...this.records.values()].filter((r) => r.roomId === productId && r.messageSeq !== null && wanted.has(r.messageSeq));
    out.sort((a, b) => (a.messageSeq ?? 0) - (b.messageSeq ?? 0) || a.position - b.position);
    return Promise.resolve(out.map((r) => ({ ...r })));
  }

  orphansBefore(beforeMs: number, limit: number): Promise<AttachmentRecord[]> {
    const out = [...this.records.values()].filter((r) => r.messageSeq === null && r.createdAtMs < beforeMs);
    out.sort((a, b) => a.createdAtMs - b.createdAtMs);
    return Promise.resolve(out.slice(0, limit).map((r) => ({ ...r })));
  }

  delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.records.delete(id);
    return Promise.resolve();
  }
}
