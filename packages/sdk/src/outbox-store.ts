import { LIMITS, type ErrorInfo } from '@groupbuy/protocol';
import type { OutboxStorage } from './types.js';

/** How long a persisted send is kept, in ms (24 h): an older one is dropped instead of sent. */
export const OUTBOX_TTL_MS = 24 * 3_600_000;

/** At most this many sends are persisted per user and room; the ones after them wait in memory only. */
export const OUTBOX_MAX_ENTRIES = 50;

/** Prefix of every persisted outbox key. */
const KEY_PREFIX = 'groupbuy-outbox';

/** A send as persisted: waiting (no `error`) or failed (with its `error`), until sent or discarded. */
export interface StoredSend {
  /** Its idempotency key: the resend after a reload uses the same one, so it is stored once. */
  clientMsgId: string;
  /** Normalised text. */
  content: string;
  /** When it was written (ISO 8601, server clock as the client knew it). */
  createdAt: string;
  /** Why it failed, for a failed one. */
  error?: ErrorInfo;
}

/** An in-memory {@link OutboxStorage}: what the client uses where there is no `localStorage`. */
export function memoryOutboxStorage(): OutboxStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/**
 * `localStorage` when this platform has one that works, else {@link memoryOutboxStorage}; memory too for a
 * server on the reserved `.invalid` domain (RFC 2606: never a real one — the in-process server of stories
 * and component tests, `@groupbuy/testing`), so one test's or story's pending sends never reappear in the next.
 */
export function defaultOutboxStorage(baseUrl: string): OutboxStorage {
  let host = '';
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // not a URL: the client refuses it elsewhere
  }
  if (host.endsWith('.invalid')) return memoryOutboxStorage();
  try {
    // Reading the global itself throws where storage is blocked (sandboxed iframe, some privacy modes).
    const storage = (globalThis as { localStorage?: OutboxStorage }).localStorage;
    if (storage && typeof storage.getItem === 'function') return storage;
  } catch {
    // fall through
  }
  return memoryOutboxStorage();
}

/** The storage key of one user's sends to one room on one server. */
export function outboxKey(baseUrl: string, userId: string, productId: string): string {
  return `${KEY_PREFIX}:${baseUrl.replace(/\/+$/, '')}:${encodeURIComponent(userId)}:${productId}`;
}

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
