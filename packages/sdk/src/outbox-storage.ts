import type { ErrorInfo } from '@groupbuy/protocol';
import type { OutboxStorage } from './types.js';

// The persisted outbox's names, limits and storages: all a chat needs before its first send. The code that
// reads, checks and merges the stored JSON (outbox-store.ts) loads on first need, through `withOutboxStore`.

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

type StoreModule = typeof import('./outbox-store.js');

// Every read and write of persisted sends, in call order, across all sessions of the page: a session that
// closed while the store's code was still loading writes before a later session (the page after a widget
// was re-created) reads.
let queue: Promise<unknown> = Promise.resolve();
let queued = 0;
let loaded: StoreModule | undefined;

/**
 * Runs `use` with the persisted outbox's code (outbox-store.ts, loaded on first call), after every read
 * and write asked for before it; rejects when that code could not be loaded (the sends stay in memory).
 * Once loaded, with nothing before it, `use` runs at once: a page closing in this task still writes.
 */
export function withOutboxStore<T>(use: (store: StoreModule) => T): Promise<T> {
  const ready = loaded;
  // The executor runs at once, and a throw in it rejects.
  if (ready && queued === 0) return new Promise((resolve) => resolve(use(ready)));
  queued += 1;
  const run = queue
    .then(() => import('./outbox-store.js'))
    .then((m) => use((loaded = m)))
    .finally(() => (queued -= 1));
  queue = run.catch(() => undefined);
  return run;
}

let preloading = false;

/**
 * Loads the store's code when the page is idle, once: a send queued later while offline (the outbox's
 * reason to be) can then persist without a download that would fail.
 */
export function preloadOutboxStore(): void {
  if (preloading || loaded) return;
  preloading = true;
  const idle = (globalThis as { requestIdleCallback?: (run: () => void) => unknown }).requestIdleCallback;
  const run = (): void => void withOutboxStore(() => undefined).catch(() => (preloading = false));
  if (idle) idle(run);
  else (setTimeout(run, 0) as { unref?: () => void }).unref?.();
}

/** True when `key` may hold persisted sends: something is stored under it, or a write is on its way. */
export function mayHoldSends(storage: OutboxStorage, key: string): boolean {
  if (queued > 0) return true;
  try {
    return storage.getItem(key) !== null;
  } catch {
    return false; // blocked storage: nothing to restore
  }
}
