import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite.js';

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const buyer = { userId: 'u1', name: 'U1' };

// Two stores on one file stand for two processes (two connections): what one commits, the other's held
// reads must give up (PRAGMA data_version), from the next turn of the event loop on.
describe('SqliteStore read cache (room, buyer, mute reads kept between writes)', () => {
  let dir: string;
  let a: SqliteStore;
  let b: SqliteStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'groupbuy-read-cache-'));
    const path = join(dir, 'chat.db');
    a = SqliteStore.open({ path });
    b = SqliteStore.open({ path });
    const input = {
      productId: 'r1',
      title: 'R1',
      maxParticipants: 2,
      minParticipants: 1,
      expiresAt: new Date(T0 + 3_600_000).toISOString(),
      hostId: null,
    };
    await a.createRoom(input, T0);
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sees its own join, leave and mute at once, and its own appends' lastSeq", async () => {
    expect(await a.isParticipant('r1', buyer.userId)).toBe(false);
    await a.join('r1', buyer, T0);
    expect(await a.isParticipant('r1', buyer.userId)).toBe(true);
    expect((await a.getRoom('r1'))?.participantCount).toBe(1);
    const { message } = await a.append('r1', { type: 'CHAT', sender: buyer, content: 'hi', allowedStatuses: ['ACTIVE'] }, T0);
    expect((await a.getRoom('r1'))?.lastSeq).toBe(message.seq);
    expect(await a.moderation.muteUntil('r1', buyer.userId)).toBeNull();
    await a.moderation.setMute('r1', buyer.userId, T0 + 60_000);
    expect(await a.moderation.muteUntil('r1', buyer.userId)).toBe(T0 + 60_000);
    await a.leave('r1', buyer.userId, T0);
    expect(await a.isParticipant('r1', buyer.userId)).toBe(false);
  });

  it("sees another connection's join, mute, append and close from the next turn on", async () => {
    expect(await a.isParticipant('r1', buyer.userId)).toBe(false);
    expect(await a.moderation.muteUntil('r1', buyer.userId)).toBeNull();
    const before = await a.getRoom('r1');
    await b.join('r1', buyer, T0);
    await b.moderation.setMute('r1', buyer.userId, T0 + 60_000);
    const { message } = await b.append('r1', { type: 'CHAT', sender: null, content: 'notice', allowedStatuses: ['ACTIVE'] }, T0);
    await nextTurn();
    expect(await a.isParticipant('r1', buyer.userId)).toBe(true);
    expect(await a.moderation.muteUntil('r1', buyer.userId)).toBe(T0 + 60_000);
    expect(await a.getRoom('r1')).toMatchObject({ participantCount: 1, lastSeq: message.seq });
    expect(message.seq).toBeGreaterThan(before?.lastSeq ?? 0);
    await b.settle('r1', { status: 'CLOSED', reason: 'HOST' }, T0);
    await nextTurn();
    expect((await a.getRoom('r1'))?.status).toBe('CLOSED');
  });

  it('hands out copies: a caller changing its room does not change the next answer', async () => {
    const room = await a.getRoom('r1');
    if (!room) throw new Error('no room');
    room.title = 'changed';
    expect((await a.getRoom('r1'))?.title).toBe('R1');
  });
});
