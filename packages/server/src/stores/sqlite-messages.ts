import type Database from 'better-sqlite3';
import {
  appendOutcome,
  orThrow,
  type ChatMessage,
  type HistoryQuery,
  type MessagePage,
  type RoomSnapshot,
  type RoomStatus,
  type SystemEvent,
} from '@groupbuy/protocol';
import type { ContentCipher } from './content-cipher.js';
import { DecryptedContentCache } from './content-cache.js';
import {
  MESSAGE_COLUMNS,
  MESSAGE_PARAMETERS,
  assertPageLimit,
  newMessageRow,
  notFound,
  sentDraft,
  systemDraft,
  toMessage,
  valuesOf,
  type MessageDraft,
  type MessageRow,
  type MessageValues,
} from './rows.js';
import { SqlitePages } from './sqlite-pages.js';
import type { AppendResult, NewMessage } from './types.js';

/**
 * Thrown inside an append's transaction when (room, sender, clientMsgId) is stored already: the throw rolls
 * back the seq the append took (no gap), and {@link SqliteMessages.settled} turns it into the duplicate's result.
 */
class DuplicateAppend extends Error {
  constructor(readonly result: AppendResult) {
    super('duplicate append');
  }
}

/**
 * The `messages` side of {@link SqliteStore} (split from it by responsibility; rooms and participants stay
 * there): the seq allocator, the insert, idempotent appends, history pages and decoding through the
 * decrypted-content cache. Every write method must run inside the store's write transaction.
 */
export class SqliteMessages {
  // Recent messages' plain text, so history pages read again skip AES-GCM (see DecryptedContentCache).
  private readonly contentCache: DecryptedContentCache;
  private readonly bumpSeq: Database.Statement<[string], { last_seq: number; status: RoomStatus }>;
  private readonly insertMessage: Database.Statement<MessageValues>;
  private readonly selectByClientMsgId: Database.Statement<[string, string | null, string], MessageRow>;
  private readonly pages: SqlitePages;
  private readonly roomExists: Database.Statement<[string], 1>;

  constructor(
    db: Database.Database,
    private readonly cipher: ContentCipher,
  ) {
    this.contentCache = new DecryptedContentCache(cipher);
    // The seq and the status the append rule needs in one statement: no separate read of the room row.
    this.bumpSeq = db.prepare('UPDATE rooms SET last_seq = last_seq + 1 WHERE product_id = ? RETURNING last_seq, status');
    // DO NOTHING on the partial unique index (room, sender, clientMsgId): a retried send is detected by the
    // insert itself (changes = 0) instead of a lookup before every insert.
    // Positional parameters: binding 13 by name looks each one up in the row object (~2 µs an insert).
    this.insertMessage = db.prepare(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PARAMETERS}) ON CONFLICT DO NOTHING`);
    // `IS` so a service notice (sender NULL) retried with the same key is found too; it still uses
    // the partial unique index because `client_msg_id = ?` implies the index's NOT NULL condition.
    this.selectByClientMsgId = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room_id = ? AND sender_id IS ? AND client_msg_id = ?`,
    );
    this.pages = new SqlitePages(db);
    this.roomExists = db.prepare('SELECT 1 FROM rooms WHERE product_id = ?').pluck() as Database.Statement<[string], 1>;
  }

  /**
   * The body of an append transaction: the room's next seq, the rule (`appendOutcome`), the insert. A
   * duplicate throws {@link DuplicateAppend} so the transaction rolls the seq back; pass the settled promise
   * through {@link settled}.
   */
  append(productId: string, message: NewMessage, nowMs: number): AppendResult {
    const bumped = this.bumpSeq.get(productId);
    if (!bumped) throw notFound(productId);
    const key = message.clientMsgId;
    const sender = message.sender?.userId ?? null;
    // The key is looked up before the insert only where the insert cannot tell: a refused status (a retry of a
    // stored send still answers with it) and a sender-less notice (NULLs are distinct in the unique index).
    if (key !== undefined && (sender === null || !appendOutcome(bumped.status, message.allowedStatuses, false).ok)) {
      const existing = this.selectByClientMsgId.get(productId, sender, key);
      orThrow(appendOutcome(bumped.status, message.allowedStatuses, existing !== undefined));
      if (existing) throw new DuplicateAppend({ message: this.decode(existing), duplicate: true });
    } else {
      orThrow(appendOutcome(bumped.status, message.allowedStatuses, false));
    }
    const draft = sentDraft(message, nowMs);
    const stored = this.insert(productId, bumped.last_seq, draft);
    if (stored) return { message: stored, duplicate: false };
    const existing = key === undefined ? undefined : this.selectByClientMsgId.get(productId, sender, key);
    if (!existing) throw new Error('A message insert was ignored without a stored duplicate.');
    throw new DuplicateAppend({ message: this.decode(existing), duplicate: true });
  }

  /** Runs an append (its transaction, direct or grouped): a {@link DuplicateAppend} thrown inside it becomes its result. */
  async settled(run: () => Promise<AppendResult> | AppendResult): Promise<AppendResult> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof DuplicateAppend) return err.result;
      throw err;
    }
  }

  /** Writes a SYSTEM message with the room's next seq (inside the write transaction). */
  writeSystem(productId: string, event: SystemEvent, room: RoomSnapshot, nowMs: number): ChatMessage {
    const bumped = this.bumpSeq.get(productId);
    if (!bumped) throw notFound(productId);
    const stored = this.insert(productId, bumped.last_seq, systemDraft(event, room, nowMs));
    if (!stored) throw new Error('A SYSTEM message insert was ignored.');
    return stored;
  }

  /** A page of history, ascending by seq; see ChatStore.page. */
  page(productId: string, query: HistoryQuery): MessagePage {
    const { limit } = query;
    assertPageLimit(limit);
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    // One row past the page answers hasMore without a second query. A room is never deleted and a message
    // row needs its room (foreign key), so the room is looked up only when the page is empty.
    const after = query.after;
    const rows =
      after !== undefined ? this.pages.after(productId, after, before, limit + 1) : this.pages.before(productId, before, limit + 1);
    if (rows.length === 0 && this.roomExists.get(productId) === undefined) throw notFound(productId);
    const messages = rows.slice(0, limit);
    if (after === undefined) messages.reverse();
    return { messages: messages.map((r) => this.decode(r)), hasMore: rows.length > limit };
  }

  /** The wire form of a stored row, its content decrypted (through the cache). */
  decode(row: MessageRow, content: string = this.contentCache.plain(row.room_id, row.seq, row.content, row.key_id)): ChatMessage {
    return toMessage(row, content);
  }

  /** Drops the cached plain text of one message (or of the whole room); see SqliteStore.forgetDecrypted. */
  forget(productId: string, seq?: number): void {
    this.contentCache.forget(productId, seq);
  }

  // The row for `draft` at `seq`, inserted; null when the unique key says it is stored already.
  private insert(productId: string, seq: number, draft: MessageDraft): ChatMessage | null {
    const row = newMessageRow(productId, seq, draft, this.cipher);
    if (this.insertMessage.run(...valuesOf(row)).changes === 0) return null;
    this.contentCache.remember(productId, seq, row.content, row.key_id, draft.content);
    // Decoded from the row just written (with the plain text we already hold), so a send's answer and a
    // later page are built by the same code and agree exactly.
    return this.decode(row, draft.content);
  }
}
