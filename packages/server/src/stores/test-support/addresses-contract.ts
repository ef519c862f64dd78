import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError, type ShippingAddressInput } from '@groupbuy/protocol';
import type { ChatStore } from '../types.js';
import type { ContractHarness } from './contract.js';
import { T0, roomInput } from './fixtures.js';

const DAY_MS = 86_400_000;

/** A validated address (what parseShippingAddressInput hands the store). */
export const MINSU_ADDRESS: ShippingAddressInput = {
  recipient: '김민수',
  phone: '010-2345-6789',
  postalCode: '06236',
  line1: '서울특별시 강남구 테헤란로 152',
  line2: '12층 1203호',
  memo: '문 앞에 놓아 주세요',
};

const JIYOON_ADDRESS: ShippingAddressInput = {
  recipient: '이지윤',
  phone: '02-123-4567',
  postalCode: '48058',
  line1: '부산 해운대구 센텀중앙로 79',
};

/**
 * What every ChatStore's `addresses` must do (issue 11): one address per buyer and room, replaced on save,
 * removed on request, listed per room, purged once the room ended long enough ago, and kept across a reopen.
 */
export function describeAddressesContract(name: string, makeStore: () => Promise<ContractHarness>, options: { durable: boolean }): void {
  describe(`AddressStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: ChatStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      await store.createRoom(roomInput('p1', { minParticipants: 1 }), T0);
      await store.createRoom(roomInput('p2', { minParticipants: 1 }), T0);
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('saves an address and reads it back with its time, per buyer and room', async () => {
      const saved = await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0 + 5);
      expect(saved).toEqual({ ...MINSU_ADDRESS, updatedAt: new Date(T0 + 5).toISOString() });
      expect(await store.addresses.get('p1', 'minsu')).toEqual(saved);
      expect(await store.addresses.get('p2', 'minsu')).toBeNull();
      expect(await store.addresses.get('p1', 'jiyoon')).toBeNull();
    });

    it('leaves absent optional fields out', async () => {
      await store.addresses.save('p1', 'jiyoon', JIYOON_ADDRESS, T0);
      const read = await store.addresses.get('p1', 'jiyoon');
      expect(read).toEqual({ ...JIYOON_ADDRESS, updatedAt: new Date(T0).toISOString() });
      expect(read && 'line2' in read).toBe(false);
    });

    it('replaces the address on a second save', async () => {
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      await store.addresses.save('p1', 'minsu', { ...MINSU_ADDRESS, line2: '13층' }, T0 + 10);
      expect((await store.addresses.get('p1', 'minsu'))?.line2).toBe('13층');
      expect(await store.addresses.list('p1')).toHaveLength(1);
    });

    it('lists a room’s addresses only', async () => {
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      await store.addresses.save('p1', 'jiyoon', JIYOON_ADDRESS, T0);
      await store.addresses.save('p2', 'minsu', JIYOON_ADDRESS, T0);
      const list = await store.addresses.list('p1');
      expect(list.map((a) => a.userId).sort()).toEqual(['jiyoon', 'minsu']);
      expect(list.find((a) => a.userId === 'minsu')?.address.recipient).toBe('김민수');
      expect(await store.addresses.list('nowhere')).toEqual([]);
    });

    it('removes one address and says whether there was one', async () => {
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      expect(await store.addresses.remove('p1', 'minsu')).toBe(true);
      expect(await store.addresses.remove('p1', 'minsu')).toBe(false);
      expect(await store.addresses.get('p1', 'minsu')).toBeNull();
    });

    it('refuses an address for a room that does not exist with ROOM_NOT_FOUND', async () => {
      const err = await store.addresses.save('nowhere', 'minsu', MINSU_ADDRESS, T0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChatError);
      expect((err as ChatError).code).toBe('ROOM_NOT_FOUND');
    });

    it('purges the addresses of rooms that ended at or before the cutoff, and no others', async () => {
      await store.createRoom(roomInput('p3'), T0);
      for (const room of ['p1', 'p2', 'p3']) await store.addresses.save(room, 'minsu', MINSU_ADDRESS, T0);
      await store.settle('p1', { status: 'CLOSED', reason: 'HOST' }, T0 + DAY_MS);
      await store.settle('p2', { status: 'CANCELLED', reason: 'HOST' }, T0 + 2 * DAY_MS);
      // p3 stays ACTIVE: its buyers' addresses are never purged by age.
      expect(await store.addresses.purgeEnded(T0 + DAY_MS - 1)).toBe(0);
      expect(await store.addresses.purgeEnded(T0 + DAY_MS)).toBe(1);
      expect(await store.addresses.get('p1', 'minsu')).toBeNull();
      expect(await store.addresses.get('p2', 'minsu')).not.toBeNull();
      expect(await store.addresses.purgeEnded(T0 + 100 * DAY_MS)).toBe(1);
      expect(await store.addresses.get('p2', 'minsu')).toBeNull();
      expect(await store.addresses.get('p3', 'minsu')).not.toBeNull();
    });

    if (!options.durable) return;

    it('keeps addresses across a reopen', async () => {
      await store.addresses.save('p1', 'minsu', MINSU_ADDRESS, T0);
      await store.close();
      const reopen = harness.reopen;
      if (!reopen) throw new Error('A durable harness reopens its store.');
      store = await reopen();
      expect((await store.addresses.get('p1', 'minsu'))?.line1).toBe(MINSU_ADDRESS.line1);
    });
  });
}
