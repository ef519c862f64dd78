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

/** One upload named in a send. */
export interface ClaimRef {
  /** The upload id. */
  id: string;
  /** Alt text, already validated. */
  alt: string;
}
