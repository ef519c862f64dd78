import { setImmediate } from 'node:timers';
import type Database from 'better-sqlite3';
import type { ChatMessage, MessageReport, Room } from '@groupbuy/protocol';
import type { ModerationChange, ModerationResult, ModerationStore, NewReport } from './moderation.js';

/** How many rooms, and how many (room, user) pairs, {@link SqliteReadCache} holds before it starts afresh. @default 10000 */
export const READ_CACHE_MAX_ENTRIES = 10_000;

/**
 * The reads every send makes before its append — the room, whether the sender is a buyer, their mute — kept
 * between writes (issue 10: these three reads were 12% of an acknowledged send, each one a read transaction
 * with its file-lock calls). An entry holds only while nothing can have changed it:
 * - no other connection committed: SQLite's `PRAGMA data_version` moves on every commit by another
 *   connection or process on the file. It is itself a read transaction (~4.5 µs), so it is asked once per
 *   turn of the event loop and the reads of that turn share the answer: what another process commits after
 *   this turn's look is seen from the next turn on, as if those reads had run a moment earlier (a commit that
 *   a request of this turn could know about happened before the turn's look, since the request had arrived
 *   by then);
 * - this connection wrote nothing that could change it: the store calls {@link changed} on every write
 *   transaction other than a message append, and an append moves only the room's `lastSeq`, which
 *   {@link seqStored} keeps exact (called after the COMMIT).
 * Only the SQLite store uses it: PostgreSQL has no such cheap version and many writers.
 */
export class SqliteReadCache {
  private readonly version: Database.Statement<[], number>;
  private seenVersion = -1;
  private lookedThisTurn = false;
  // Moves on every {@link changed}: a read that was under way across one is not kept.
  private generation = 0;
  private readonly rooms = new Map<string, Room>();
  private readonly buyers = new Map<string, boolean>();
  private readonly mutes = new Map<string, number | null>();
  private readonly endTurn = (): void => {
    this.lookedThisTurn = false;
  };

  constructor(
    db: Database.Database,
    private readonly maxEntries = READ_CACHE_MAX_ENTRIES,
  ) {
    this.version = db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>;
  }

  /** The room (a copy: callers may spread or change it), read with `read` when not held; null is not kept. */
  room(productId: string, read: () => Room | null): Room | null {
    this.fresh();
    let room = this.rooms.get(productId);
    if (room === undefined) {
      const stored = read();
      if (stored === null) return null;
      room = stored;
      this.keep(this.rooms, productId, room);
    }
    return { ...room };
  }

  /** Whether `userId` is a buyer in the room, read with `read` when not held. */
  isBuyer(productId: string, userId: string, read: () => boolean): boolean {
    return this.pair(this.buyers, productId, userId, read);
  }

  /** `userId`'s mute in the room (epoch ms, or null), read with `read` when not held. */
  async muteUntil(productId: string, userId: string, read: () => Promise<number | null>): Promise<number | null> {
    this.fresh();
    const key = `${productId}\u0000${userId}`;
    const held = this.mutes.get(key);
    if (held !== undefined) return held;
    const generation = this.generation;
    const value = await read();
    if (generation === this.generation) this.keep(this.mutes, key, value);
    return value;
  }

  /** This connection stored messages up to `seq` in the room (committed): a held room's `lastSeq` follows. */
  seqStored(productId: string, seq: number): void {
    const room = this.rooms.get(productId);
    if (room !== undefined && seq > room.lastSeq) this.rooms.set(productId, { ...room, lastSeq: seq });
  }

  /** This connection wrote something other than a message append (a join, a mute, a status…): everything is read again. */
  changed(): void {
    this.generation += 1;
    this.rooms.clear();
    this.buyers.clear();
    this.mutes.clear();
  }

  private pair(map: Map<string, boolean>, productId: string, userId: string, read: () => boolean): boolean {
    this.fresh();
    const key = `${productId}\u0000${userId}`;
    const held = map.get(key);
    if (held !== undefined) return held;
    const value = read();
    this.keep(map, key, value);
    return value;
  }

  private keep<V>(map: Map<string, V>, key: string, value: V): void {
    if (map.size >= this.maxEntries) map.clear();
    map.set(key, value);
  }

  // Once per turn: another connection's commit since the last look empties the cache.
  private fresh(): void {
    if (this.lookedThisTurn) return;
    this.lookedThisTurn = true;
    setImmediate(this.endTurn);
    const version = this.version.get() ?? -1;
    if (version !== this.seenVersion) {
      this.changed();
      this.seenVersion = version;
    }
  }
}

/** A {@link ModerationStore} whose `muteUntil` goes through `cache`, and whose `setMute` empties it. */
export class CachedModeration implements ModerationStore {
  constructor(
    private readonly inner: ModerationStore,
    private readonly cache: SqliteReadCache,
  ) {}

  /** See ChatStore.message. */
  message(productId: string, seq: number): Promise<ChatMessage | null> {
    return this.inner.message(productId, seq);
  }

  /** See ChatStore.moderate (its SYSTEM message empties the cache: SqliteStore.writeSystem). */
  moderate(productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult> {
    return this.inner.moderate(productId, change, nowMs);
  }

  /** See ChatStore.setMute. */
  setMute(productId: string, userId: string, untilMs: number | null): Promise<void> {
    // The SQLite store writes before its promise is made; the cache is emptied right after.
    const done = this.inner.setMute(productId, userId, untilMs);
    this.cache.changed();
    return done;
  }

  /** See ChatStore.muteUntil. */
  muteUntil(productId: string, userId: string): Promise<number | null> {
    return this.cache.muteUntil(productId, userId, () => this.inner.muteUntil(productId, userId));
  }

  /** See ChatStore.addReport. */
  addReport(productId: string, report: NewReport, nowMs: number): Promise<MessageReport> {
    return this.inner.addReport(productId, report, nowMs);
  }

  /** See ChatStore.reports. */
  reports(productId: string): Promise<MessageReport[]> {
    return this.inner.reports(productId);
  }
}
