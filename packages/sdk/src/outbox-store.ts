import { LIMITS, type ErrorInfo } from '@groupbuy/protocol';
import { OUTBOX_MAX_ENTRIES, OUTBOX_TTL_MS, type StoredSend } from './outbox-storage.js';
import type { OutboxStorage } from './types.js';

// Reading, checking and merging the persisted JSON: loaded on first need through `withOutboxStore`
// (outbox-storage.ts): by the first send, or by a restore when something is stored. A chat that only
// reads never loads it.

function isErrorInfo(value: unknown): value is ErrorInfo {
  const v = value as Partial<ErrorInfo> | null;
  return typeof v === 'object' && v !== null && typeof v.code === 'string' && typeof v.message === 'string';
}

/** One entry read back, or undefined when it is not a well-formed send (it is then ignored). */
function parseEntry(value: unknown): StoredSend | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { clientMsgId, content, createdAt, error } = v;
  if (typeof clientMsgId !== 'string' || clientMsgId === '' || clientMsgId.length > LIMITS.clientMsgIdMaxChars) return undefined;
  if (typeof content !== 'string' || content === '' || Array.from(content).length > LIMITS.contentMaxChars) return undefined;
  if (typeof createdAt !== 'string' || !Number.isFinite(Date.parse(createdAt))) return undefined;
  if (error !== undefined && !isErrorInfo(error)) return undefined;
  return { clientMsgId, content, createdAt, ...(error ? { error: { code: error.code, message: error.message } } : {}) };
}

/**
 * One user's persisted sends to one room. Storage failures (quota, blocked, corrupt JSON) never reach the
 * caller: the outbox then lives in memory only.
 */
export class OutboxStore {
  constructor(
    private readonly storage: OutboxStorage,
    private readonly key: string,
  ) {}

  /** The persisted sends, oldest first, without expired or malformed ones. */
  read(nowMs: number = Date.now()): StoredSend[] {
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return [];
    }
    if (raw === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    const seen = new Set<string>();
    const sends: StoredSend[] = [];
    for (const item of parsed) {
      const entry = parseEntry(item);
      if (!entry || seen.has(entry.clientMsgId) || nowMs - Date.parse(entry.createdAt) > OUTBOX_TTL_MS) continue;
      seen.add(entry.clientMsgId);
      sends.push(entry);
    }
    return sends;
  }

  /**
   * Persists `mine` (this session's sends, in order) in place of every entry whose id is in `known`;
   * entries another page (a second tab of the same user) wrote are kept as they are.
   */
  write(mine: readonly StoredSend[], known: ReadonlySet<string>, nowMs: number = Date.now()): void {
    const others = this.read(nowMs).filter((e) => !known.has(e.clientMsgId));
    const fresh = mine.filter((e) => nowMs - Date.parse(e.createdAt) <= OUTBOX_TTL_MS);
    const all = [...others, ...fresh].slice(0, OUTBOX_MAX_ENTRIES);
    try {
      if (all.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(all));
    } catch {
      // Full or blocked: the sends still wait in memory.
    }
  }
}
