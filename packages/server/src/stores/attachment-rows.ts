import { ChatError } from '@groupbuy/protocol';
import type { AttachmentRecord, ClaimRef } from './attachment-types.js';

/** An `attachments` row (migration v6); PostgreSQL may hand bigint columns back as strings. */
export interface AttachmentRow {
  id: string;
  room_id: string;
  uploader_id: string;
  mime: string;
  width: number | string;
  height: number | string;
  bytes: number | string;
  created_at: number | string;
  alt: string;
  claim_key: string | null;
  message_seq: number | string | null;
  position: number | string;
}

/** The record of a row. */
export function toAttachment(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    roomId: row.room_id,
    uploaderId: row.uploader_id,
    mime: row.mime as AttachmentRecord['mime'],
    width: Number(row.width),
    height: Number(row.height),
    bytes: Number(row.bytes),
    createdAtMs: Number(row.created_at),
    alt: row.alt,
    claimKey: row.claim_key,
    messageSeq: row.message_seq === null ? null : Number(row.message_seq),
    position: Number(row.position),
  };
}

/** The row values of a record, in the column order of the INSERT statements. */
export function attachmentValues(r: AttachmentRecord): (string | number | null)[] {
  return [r.id, r.roomId, r.uploaderId, r.mime, r.width, r.height, r.bytes, r.createdAtMs, r.alt, r.claimKey, r.messageSeq, r.position];
}

/** The INSERT of one row, positional parameters `?` (SQLite) or `$n` (PostgreSQL). */
export function insertAttachmentSql(dollar: boolean, table = 'attachments'): string {
  const params = Array.from({ length: 12 }, (_, i) => (dollar ? `$${i + 1}` : '?')).join(', ');
  return `INSERT INTO ${table} (id, room_id, uploader_id, mime, width, height, bytes, created_at, alt, claim_key, message_seq, position)
          VALUES (${params})`;
}

/**
 * The claim rule every store applies to the rows it read for one send (inside its transaction): each
 * ref names a distinct upload of `uploaderId` in the room that no other send reserved. Throws INVALID_INPUT.
 */
export function checkClaim(
  productId: string,
  uploaderId: string,
  refs: readonly ClaimRef[],
  claimKey: string,
  found: ReadonlyMap<string, AttachmentRecord>,
): AttachmentRecord[] {
  return refs.map((ref, position) => {
    const record = found.get(ref.id);
    if (!record || record.roomId !== productId || record.uploaderId !== uploaderId) {
      throw new ChatError('INVALID_INPUT', 'An attached image is not one you uploaded to this room; upload it again.');
    }
    if (record.claimKey !== null && record.claimKey !== claimKey) {
      throw new ChatError('INVALID_INPUT', 'An attached image was already sent with another message; upload it again.');
    }
    return { ...record, alt: ref.alt, claimKey, position };
  });
}
