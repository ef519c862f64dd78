import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import { silentLogger } from '../logger.js';
import { SqliteStore } from '../stores/sqlite.js';
import { waitFor } from '../test-support/harness.js';
import { RoomSequencer } from './sequencer.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('RoomSequencer', () => {
  let store: SqliteStore;
  let stored: ChatMessage[];
  let delivered: number[];
  let sequencer: RoomSequencer;

  beforeEach(async () => {
    store = SqliteStore.open({ path: ':memory:' });
    await store.createRoom(
      {
        productId: 'r',
        title: 'Room',
        maxParticipants: 10,
        minParticipants: 1,
        expiresAt: new Date(NOW + 3_600_000).toISOString(),
        hostId: null,
      },
      NOW,
    );
    stored = [];
    for (let i = 1; i <= 6; i++) {
      stored.push(
        (await store.append('r', { type: 'NOTIFICATION', sender: null, content: `m${i}`, allowedStatuses: ['ACTIVE'] }, NOW)).message,
      );
    }
    delivered = [];
    sequencer = new RoomSequencer(
      (_room, m) => delivered.push(m.seq),
      async (roomId, after, limit) => (await store.page(roomId, { after, limit })).messages,
      silentLogger,
      20,
    );
    sequencer.follow('r', 0);
  });
  afterEach(async () => {
    sequencer.close();
    await store.close();
  });

  const push = (...seqs: number[]) => seqs.forEach((s) => sequencer.push('r', stored[s - 1]!));

  it('delivers messages that arrive in order at once', () => {
    push(1, 2, 3);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('holds a message that arrives ahead of its predecessor and delivers both in order', () => {
    push(1, 3);
    expect(delivered).toEqual([1]);
    push(2);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('fills a gap that never closes from the store, in order, once', async () => {
    push(1, 4, 3);
    await waitFor(() => delivered.length === 4, 5000, 'the gap to be filled');
    expect(delivered).toEqual([1, 2, 3, 4]);
    push(2, 5);
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops duplicates and messages of rooms nobody here follows', () => {
    push(1, 1, 2, 1);
    sequencer.push('elsewhere', stored[2]!);
    expect(delivered).toEqual([1, 2]);
  });
});
