/** An uploaded image as the stores keep it (issue 12); its bytes live in a BlobStore under `id`. */
export interface AttachmentRecord {
  /** Random id (UUID), also the blob key. */
  id: string;
  /** The room (product id) it was uploaded to. */
  roomId: string;
  /** Who uploaded it (JWT `sub`). */
  uploaderId: string;
  /** The sniffed type of the stored full image. */
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  /** Pixel width after EXIF orientation. */
  width: number;
  /** Pixel height after EXIF orientation. */
  height: number;
  /** Size of the stored full image, in bytes. */
  bytes: number;
  /** Upload time, epoch ms. */
  createdAtMs: number;
  /** Alt text the sender gave it (set when it is claimed by a send). */
  alt: string;
  /** The send that reserved it (its idempotency key), or null. */
  claimKey: string | null;
  /** The seq of the message carrying it, or null while it is not sent (an orphan after a day). */
  messageSeq: number | null;
  /** Position within its message (0-based). */
  position: number;
}

/**
 * The uploads of a store (issue 12): `ChatStore.attachments`, one class per backend
 * (sqlite-attachments.ts, postgres-attachments.ts, memory-attachments.ts).
 */
export interface AttachmentStore {
  /** Stores the record of a fresh upload (its blobs are written already). */
  save(record: AttachmentRecord): Promise<void>;
  /** One upload, or null. */
  get(id: string): Promise<AttachmentRecord | null>;
  /**
   * Reserves uploads for one send in one transaction: each must be the uploader's, in the room, and not
   * reserved by another send (`claimKey` is the send's idempotency key, so a retry claims them again).
   * Sets the alt text. Returns the records in `refs` order. Throws ChatError INVALID_INPUT.
   */
  claimFor(productId: string, uploaderId: string, refs: readonly ClaimRef[], claimKey: string): Promise<AttachmentRecord[]>;
  /** Marks claimed uploads as carried by the message `seq` (idempotent). */
  bindTo(productId: string, seq: number, ids: readonly string[]): Promise<void>;
  /** The uploads carried by the messages `seqs` of the room, by seq then position. */
  ofMessages(productId: string, seqs: readonly number[]): Promise<AttachmentRecord[]>;
  /** Uploads no message carries that were made before `beforeMs` (the orphan sweep). */
  orphansBefore(beforeMs: number, limit: number): Promise<AttachmentRecord[]>;
  /** Deletes upload records (their blobs are the caller's). */
  delete(ids: readonly string[]): Promise<void>;
}

/** One upload named in a send. */
export interface ClaimRef {
  /** The upload id. */
  id: string;
  /** Alt text, already validated. */
  alt: string;
}
