import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidCreateRoomInput } from '@groupbuy/protocol';
import type { ChatStore } from '../stores/types.js';
import { computeRoomStats, membershipChanges } from './stats.js';
import { newInviteCode } from './service.js';
import { memoryHarness, postgresHarness, sqliteHarness } from '../stores/test-support/harnesses.js';

// The insights tables (migration v7) against the three stores: the same suite, one line each.

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
const MINJI = { userId: 'minji', name: '민지' };
const BORA = { userId: 'bora', name: 'Bora' };
const CHUL = { userId: 'chul', name: 'Chul' };

interface Harness {
  store: ChatStore;
  reopen?: () => Promise<ChatStore>;
  cleanup(): Promise<void>;
}

function roomInput(productId: string, maxParticipants = 2): ValidCreateRoomInput {
  return {
    productId,
    title: `Group buy ${productId}`,
    maxParticipants,
    minParticipants: 1,
    expiresAt: new Date(T0 + 3_600_000).toISOString(),
    hostId: 'seller-1',
  };
}

function describeInsightsContract(name: string, open: () => Promise<Harness>): void {
  describe(`ChatStore insights contract: ${name}`, () => {
    let harness: Harness;
    let store: ChatStore;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
      await store.createRoom(roomInput('p1'), T0);
      await store.createRoom(roomInput('p2'), T0);
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('keeps one invite code per user and room, also when first calls race', async () => {
      const codes = await Promise.all([1, 2, 3].map(() => store.insights.inviteCode('p1', MINJI, newInviteCode(), T0)));
      expect(new Set(codes.map((c) => c.code)).size).toBe(1);
      expect(codes.filter((c) => c.created)).toHaveLength(1);
      const again = await store.insights.inviteCode('p1', MINJI, newInviteCode(), T0 + 1);
      expect(again).toEqual({ code: codes[0]?.code, created: false });
      const other = await store.insights.inviteCode('p2', MINJI, newInviteCode(), T0);
      expect(other.code).not.toBe(again.code);
    });

    it('maps a code to its inviter in its own room only', async () => {
      const { code } = await store.insights.inviteCode('p1', MINJI, newInviteCode(), T0);
      expect(await store.insights.inviter('p1', code)).toEqual(MINJI);
      expect(await store.insights.inviter('p2', code)).toBeNull();
      expect(await store.insights.inviter('p1', newInviteCode())).toBeNull();
    });

    it('counts first views per room, and chatters and messages from the stored CHAT messages', async () => {
      expect(await store.insights.recordView('p1', MINJI.userId, T0 + 10)).toBe(true);
      expect(await store.insights.recordView('p1', MINJI.userId, T0 + 20)).toBe(false);
      await store.insights.recordView('p1', BORA.userId, T0 + 30);
      await store.insights.recordView('p2', BORA.userId, T0 + 70);
      const chat = (sender: typeof MINJI | null, content: string) =>
        ({ type: sender ? 'CHAT' : 'NOTIFICATION', sender, content, allowedStatuses: ['ACTIVE'] }) as const;
      await store.append('p1', chat(MINJI, 'one'), T0 + 40);
      await store.append('p1', chat(MINJI, 'two'), T0 + 50);
      await store.append('p1', chat(CHUL, 'three'), T0 + 60);
      await store.append('p1', chat(null, 'a notice is no chat'), T0 + 61);
      await store.append('p2', chat(BORA, 'elsewhere'), T0 + 62);
      await store.join('p1', BORA, T0 + 63);
      const funnel = await store.insights.funnel('p1');
      expect({ viewers: funnel.viewers, chatters: funnel.chatters, messages: funnel.messages }).toEqual({
        viewers: 2,
        chatters: 2,
        messages: 3,
      });
      const other = await store.insights.funnel('p2');
      expect({ viewers: other.viewers, chatters: other.chatters, messages: other.messages }).toEqual({
        viewers: 1,
        chatters: 1,
        messages: 1,
      });
    });

    it('records joins (with the inviter in the JOINED event), leaves and the fill, once per seq', async () => {
      const { code } = await store.insights.inviteCode('p1', MINJI, newInviteCode(), T0);
      await store.insights.recordView('p1', BORA.userId, T0 + 1_000);
      const inviter = await store.insights.inviter('p1', code);
      const first = await store.join('p1', { ...BORA, ...(inviter ? { invitedBy: inviter } : {}) }, T0 + 5_000);
      expect(first.messages[0]?.event).toEqual({
        type: 'JOINED',
        userId: 'bora',
        name: 'Bora',
        invitedBy: { userId: 'minji', name: '민지' },
      });
      const left = await store.leave('p1', BORA.userId, T0 + 6_000);
      const again = await store.join('p1', BORA, T0 + 7_000);
      expect(again.messages[0]?.event).toEqual({ type: 'JOINED', userId: 'bora', name: 'Bora' });
      const fill = await store.join('p1', CHUL, T0 + 9_000);
      for (const r of [first, left, again, fill, fill]) await store.insights.recordChanges('p1', membershipChanges(r.messages));

      const funnel = await store.insights.funnel('p1');
      expect(funnel.changes.map((c) => [c.kind, c.userId, c.count, c.inviterId, c.inviterName, c.fills, c.firstViewAtMs])).toEqual([
        ['JOIN', 'bora', 1, 'minji', '민지', false, T0 + 1_000],
        ['LEAVE', 'bora', 0, null, null, false, T0 + 1_000],
        ['JOIN', 'bora', 1, null, null, false, T0 + 1_000],
        ['JOIN', 'chul', 2, null, null, true, T0 + 9_000],
      ]);
      expect(funnel.viewers).toBe(2);
      const stats = computeRoomStats({ createdAt: new Date(T0).toISOString() }, funnel, T0 + 120_000);
      expect(stats).toMatchObject({ joiners: 3, leavers: 1, timeToFillMs: 9_000, medianViewToJoinMs: 4_000 });
      expect(stats.inviters).toEqual([{ userId: 'minji', name: '민지', joins: 1 }]);
    });

    if (name !== 'MemoryStore') {
      it('keeps codes and the funnel across a reopen', async () => {
        const { code } = await store.insights.inviteCode('p1', MINJI, newInviteCode(), T0);
        await store.insights.recordView('p1', BORA.userId, T0 + 1);
        await store.close();
        const reopened = await harness.reopen?.();
        if (!reopened) throw new Error('a durable harness must reopen');
        expect(await reopened.insights.inviter('p1', code)).toEqual(MINJI);
        expect((await reopened.insights.funnel('p1')).viewers).toBe(1);
      });
    }
  });
}

describeInsightsContract('MemoryStore', memoryHarness());
describeInsightsContract('SqliteStore (durable file)', sqliteHarness('insights'));
describeInsightsContract('PostgresStore (fresh schema)', postgresHarness('insights'));
