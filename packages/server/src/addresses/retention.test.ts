import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleCore } from '../assemble.js';
import { SqliteStore } from '../stores/sqlite.js';
import { MINSU_ADDRESS } from '../stores/test-support/addresses-contract.js';
import { TEST_SECRET } from '../test-support/harness.js';

// ADDRESS_RETENTION_DAYS (issue 11): the deadline scheduler deletes an ended room's addresses after the
// retention, on a real SQLite file; the clock is the one thing faked (a month does not pass in a test).

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const DAY_MS = 86_400_000;

describe('address retention by the scheduler', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function setUp(addressRetentionDays?: number) {
    const dir = mkdtempSync(join(tmpdir(), 'groupbuy-retention-'));
    dirs.push(dir);
    const store = SqliteStore.open({ path: join(dir, 'chat.db') });
    const clock = { t: T0, now: () => clock.t };
    const core = assembleCore({
      store,
      jwt: { secret: TEST_SECRET },
      clock,
      ...(addressRetentionDays !== undefined ? { addressRetentionDays } : {}),
    });
    const input = {
      productId: 'p1',
      title: 'Tangerines',
      maxParticipants: 5,
      minParticipants: 1,
      expiresAt: new Date(T0 + 3_600_000).toISOString(),
      hostId: 'seller-7',
    };
    await store.createRoom(input, T0);
    await store.createRoom({ ...input, productId: 'p2' }, T0);
    for (const room of ['p1', 'p2']) {
      await store.join(room, { userId: 'minsu', name: '민수' }, T0);
      await store.addresses.save(room, 'minsu', MINSU_ADDRESS, T0);
    }
    await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + 1_000);
    // One tick of the real scheduler at the clock's time: start() runs it, stop() waits for it.
    const tickAt = async (ms: number) => {
      clock.t = ms;
      await core.scheduler.start();
      await core.scheduler.stop();
    };
    return { store, tickAt };
  }

  it('keeps an ended room’s addresses for 30 days by default, then deletes them; a room still ACTIVE keeps its own', async () => {
    const { store, tickAt } = await setUp();
    await tickAt(T0 + 1_000 + 30 * DAY_MS - 1);
    expect(await store.addresses.get('p1', 'minsu')).not.toBeNull();
    // p2's deadline passed on this tick too: it closes now, so its 30 days start now.
    await tickAt(T0 + 1_000 + 30 * DAY_MS);
    expect(await store.addresses.get('p1', 'minsu')).toBeNull();
    expect(await store.addresses.get('p2', 'minsu')).not.toBeNull();
    await store.close();
  });

  it('follows ADDRESS_RETENTION_DAYS', async () => {
    const { store, tickAt } = await setUp(2);
    await tickAt(T0 + 1_000 + DAY_MS);
    expect(await store.addresses.get('p1', 'minsu')).not.toBeNull();
    await tickAt(T0 + 1_000 + 2 * DAY_MS);
    expect(await store.addresses.get('p1', 'minsu')).toBeNull();
    await store.close();
  });
});
