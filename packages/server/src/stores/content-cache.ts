import type { ContentCipher } from './content-cipher.js';

interface Entry {
  stored: string;
  keyId: string | null;
  plain: string;
}

/**
 * Decrypted content of recent messages, by (room, seq), least recently used dropped first: a page of
 * history read again (every reader opening the chat asks for the latest page) costs no AES-GCM.
 *
 * An entry is used only while the row still holds the very value it was decrypted from (same stored text,
 * same key id), so a rewritten row (rekey, a deletion's tombstone) is decrypted afresh even if nobody
 * called {@link forget}; `forget` is there so a deleted message's text also leaves this memory at once.
 */
export class DecryptedContentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cipher: ContentCipher,
    /** Entries kept. @default 4096 */
    private readonly max = 4096,
  ) {}

  /** The plain text of a row's stored `content` (written under `keyId`), from the cache or decrypted now. */
  plain(roomId: string, seq: number, stored: string, keyId: string | null): string {
    // Nothing to save when content is stored as is.
    if (this.cipher.keyId === null && keyId === null) return this.cipher.decrypt(stored, keyId);
    const key = `${roomId}\u0000${seq}`;
    const hit = this.entries.get(key);
    if (hit && hit.stored === stored && hit.keyId === keyId) {
      // Most recently used goes last (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.plain;
    }
    const plain = this.cipher.decrypt(stored, keyId);
    this.remember(roomId, seq, stored, keyId, plain);
    return plain;
  }

  /** Records what a row just written holds (its plain text is at hand: no decrypt needed on its first read). */
  remember(roomId: string, seq: number, stored: string, keyId: string | null, plain: string): void {
    if (this.max <= 0) return;
    const key = `${roomId}\u0000${seq}`;
    this.entries.delete(key);
    this.entries.set(key, { stored, keyId, plain });
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Drops one message's entry (a deletion), or every entry of the room when `seq` is omitted. */
  forget(roomId: string, seq?: number): void {
    if (seq !== undefined) {
      this.entries.delete(`${roomId}\u0000${seq}`);
      return;
    }
    const prefix = `${roomId}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Drops everything (a rekey of the whole store). */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }
}
