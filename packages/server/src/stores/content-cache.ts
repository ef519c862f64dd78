import type { ContentCipher } from './content-cipher.js';

interface Entry {
  stored: string;
  keyId: string | null;
  plain: string;
}

/**
 * Decrypted content of recent messages, by (room, seq), the least recently used dropped first: a page of
 * history read again (every reader opening the chat asks for the latest page) costs no AES-GCM.
 *
 * An entry is used only while the row still holds the very value it was decrypted from (same stored text,
 * same key id), so a rewritten row (rekey, a deletion's tombstone) is decrypted afresh even if nobody
 * called {@link forget}; `forget` is there so a deleted message's text also leaves this memory at once.
 */
export class DecryptedContentCache {
  // Two generations of up to half the entries each, instead of one Map kept in LRU order: dropping a Map's
  // oldest entry one at a time leaves holes that every `keys().next()` walks again (~7 µs a miss at 4,096
  // entries, more than the AES-GCM it saves). Here the recent half fills, then becomes the older half and
  // the previous older half is dropped whole; an entry read from the older half moves to the recent one.
  private recent = new Map<string, Entry>();
  private older = new Map<string, Entry>();
  private readonly generationMax: number;

  constructor(
    private readonly cipher: ContentCipher,
    /** Entries kept (an odd number keeps one fewer; 0 keeps none). @default 4096 */
    max = 4096,
  ) {
    this.generationMax = Math.floor(max / 2);
  }

  /** The plain text of a row's stored `content` (written under `keyId`), from the cache or decrypted now. */
  plain(roomId: string, seq: number, stored: string, keyId: string | null): string {
    // Nothing to save when content is stored as is.
    if (this.cipher.keyId === null && keyId === null) return this.cipher.decrypt(stored, keyId);
    const key = `${roomId}\u0000${seq}`;
    const hit = this.recent.get(key) ?? this.promoted(key);
    if (hit && hit.stored === stored && hit.keyId === keyId) return hit.plain;
    const plain = this.cipher.decrypt(stored, keyId);
    this.put(key, { stored, keyId, plain });
    return plain;
  }

  /** Records what a row just written holds (its plain text is at hand: no decrypt needed on its first read). */
  remember(roomId: string, seq: number, stored: string, keyId: string | null, plain: string): void {
    this.put(`${roomId}\u0000${seq}`, { stored, keyId, plain });
  }

  /** Drops one message's entry (a deletion), or every entry of the room when `seq` is omitted. */
  forget(roomId: string, seq?: number): void {
    if (seq !== undefined) {
      const key = `${roomId}\u0000${seq}`;
      this.recent.delete(key);
      this.older.delete(key);
      return;
    }
    const prefix = `${roomId}\u0000`;
    for (const generation of [this.recent, this.older]) {
      for (const key of [...generation.keys()]) if (key.startsWith(prefix)) generation.delete(key);
    }
  }

  /** Drops everything (a rekey of the whole store). */
  clear(): void {
    this.recent.clear();
    this.older.clear();
  }

  /** Entries held. */
  get size(): number {
    return this.recent.size + this.older.size;
  }

  // An entry of the older half, moved to the recent half because it was read again.
  private promoted(key: string): Entry | undefined {
    const entry = this.older.get(key);
    if (entry) this.put(key, entry);
    return entry;
  }

  // Each key lives in one half only, so `size` counts it once and `forget` finds it.
  private put(key: string, entry: Entry): void {
    if (this.generationMax <= 0) return;
    this.older.delete(key);
    if (this.recent.size >= this.generationMax && !this.recent.has(key)) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, entry);
  }
}
