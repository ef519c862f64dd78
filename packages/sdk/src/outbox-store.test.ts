import { describe, expect, it } from 'vitest';
import {
  OUTBOX_MAX_ENTRIES,
  OUTBOX_TTL_MS,
  OutboxStore,
  defaultOutboxStorage,
  memoryOutboxStorage,
  outboxKey,
  type StoredSend,
} from './outbox-store.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const send = (id: string, msAgo = 0): StoredSend => ({ clientMsgId: id, content: `text ${id}`, createdAt: at(msAgo) });

describe('persisted outbox storage', () => {
  it('keys the sends by server, user and room', () => {
    expect(outboxKey('http://a.test/', 'ann', 'p-1')).toBe(outboxKey('http://a.test', 'ann', 'p-1'));
    const keys = new Set([
      outboxKey('http://a.test', 'ann', 'p-1'),
      outboxKey('http://b.test', 'ann', 'p-1'),
      outboxKey('http://a.test', 'bob', 'p-1'),
      outboxKey('http://a.test', 'ann', 'p-2'),
    ]);
    expect(keys.size).toBe(4);
  });

  it('reads back what it wrote, in order, failed ones with their error', () => {
    const store = new OutboxStore(memoryOutboxStorage(), 'k');
    const failed: StoredSend = { ...send('b'), error: { code: 'ROOM_NOT_ACTIVE', message: 'cancelled' } };
    store.write([send('a'), failed], new Set(), NOW);
    expect(store.read(NOW)).toEqual([send('a'), failed]);
  });

  it('drops sends older than 24 hours', () => {
    const store = new OutboxStore(memoryOutboxStorage(), 'k');
    store.write([send('old', OUTBOX_TTL_MS - 1), send('new')], new Set(), NOW);
    expect(store.read(NOW + 2).map((e) => e.clientMsgId)).toEqual(['new']);
  });

  it('ignores corrupt values and malformed entries', () => {
    const storage = memoryOutboxStorage();
    storage.setItem('broken', '{not json');
    expect(new OutboxStore(storage, 'broken').read(NOW)).toEqual([]);
    storage.setItem('object', '{"clientMsgId":"a"}');
    expect(new OutboxStore(storage, 'object').read(NOW)).toEqual([]);
    storage.setItem(
      'mixed',
      JSON.stringify([
        send('ok'),
        null,
        7,
        { clientMsgId: 'x', content: '' },
        { ...send('bad-date'), createdAt: 'soon' },
        { ...send('e'), error: 'no' },
        send('ok'),
      ]),
    );
    expect(new OutboxStore(storage, 'mixed').read(NOW).map((e) => e.clientMsgId)).toEqual(['ok']);
  });

  it('keeps at most OUTBOX_MAX_ENTRIES sends per key', () => {
    const store = new OutboxStore(memoryOutboxStorage(), 'k');
    const many = Array.from({ length: OUTBOX_MAX_ENTRIES + 10 }, (_, i) => send(`m${i}`));
    store.write(many, new Set(), NOW);
    expect(store.read(NOW)).toEqual(many.slice(0, OUTBOX_MAX_ENTRIES));
  });

  it("rewrites only its own entries and keeps another tab's", () => {
    const storage = memoryOutboxStorage();
    const tabA = new OutboxStore(storage, 'k');
    const tabB = new OutboxStore(storage, 'k');
    tabA.write([send('a1')], new Set(['a1']), NOW);
    tabB.write([send('b1')], new Set(['b1']), NOW);
    tabA.write([], new Set(['a1']), NOW); // a1 was delivered
    expect(tabB.read(NOW).map((e) => e.clientMsgId)).toEqual(['b1']);
    tabB.write([], new Set(['b1']), NOW);
    expect(storage.getItem('k')).toBeNull();
  });

  it('uses localStorage by default, but memory for the reserved .invalid domain of the in-memory backend', () => {
    const local = memoryOutboxStorage();
    const global = globalThis as { localStorage?: unknown };
    global.localStorage = local;
    try {
      expect(defaultOutboxStorage('https://shop.example')).toBe(local);
      expect(defaultOutboxStorage('http://memory.invalid')).not.toBe(local);
    } finally {
      delete global.localStorage;
    }
    expect(defaultOutboxStorage('https://shop.example')).not.toBe(local);
  });

  it('carries on when the storage throws', () => {
    const throwing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const store = new OutboxStore(throwing, 'k');
    expect(() => store.write([send('a')], new Set(), NOW)).not.toThrow();
    expect(store.read(NOW)).toEqual([]);
  });
});
