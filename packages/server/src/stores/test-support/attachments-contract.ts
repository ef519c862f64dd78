import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '@groupbuy/protocol';
import type { AttachmentRecord } from '../attachment-types.js';
import type { ChatStore } from '../types.js';
import type { ContractHarness } from './contract.js';
import { T0, roomInput } from './fixtures.js';

function record(roomId: string, uploaderId: string, createdAtMs = T0): AttachmentRecord {
  return {
    id: globalThis.crypto.randomUUID(),
    roomId,
    uploaderId,
    mime: 'image/png',
    width: 640,
    height: 480,
    bytes: 1234,
    createdAtMs,
    alt: '',
    claimKey: null,
    messageSeq: null,
    position: 0,
  };
}

async function room(store: ChatStore, productId: string): Promise<void> {
  await store.createRoom(roomInput(productId, { title: productId, minParticipants: 2, hostId: null }), T0);
}

/** The attachment store methods (issue 12), run against every ChatStore like the main contract. */
export function describeAttachmentContract(name: string, makeStore: () => Promise<ContractHarness>): void {
  describe(`Attachment contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: ChatStore;
    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      await room(store, 'p-1');
      await room(store, 'p-2');
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('saves and reads an upload', async () => {
      const r = record('p-1', 'u-1');
      await store.attachments.save(r);
      expect(await store.attachments.get(r.id)).toEqual(r);
      expect(await store.attachments.get(globalThis.crypto.randomUUID())).toBeNull();
    });

    it('claims for one send only: the uploader, the room, the same key again', async () => {
      const a = record('p-1', 'u-1');
      const b = record('p-1', 'u-1');
      await store.attachments.save(a);
      await store.attachments.save(b);
      const claimed = await store.attachments.claimFor(
        'p-1',
        'u-1',
        [
          { id: b.id, alt: 'second' },
          { id: a.id, alt: 'first' },
        ],
        'k-1',
      );
      expect(claimed.map((r) => [r.id, r.alt, r.position])).toEqual([
        [b.id, 'second', 0],
        [a.id, 'first', 1],
      ]);
      // A retry of the same send claims them again.
      await expect(store.attachments.claimFor('p-1', 'u-1', [{ id: a.id, alt: 'first' }], 'k-1')).resolves.toHaveLength(1);
      // Another send, an upload never saved, another room, another user.
      const refused = [
        () => store.attachments.claimFor('p-1', 'u-1', [{ id: a.id, alt: '' }], 'k-2'),
        () => store.attachments.claimFor('p-1', 'u-2', [{ id: record('p-1', 'u-2').id, alt: '' }], 'k-3'),
        () => store.attachments.claimFor('p-2', 'u-1', [{ id: a.id, alt: '' }], 'k-1'),
        () => store.attachments.claimFor('p-1', 'u-2', [{ id: a.id, alt: '' }], 'k-1'),
      ];
      for (const claim of refused) {
        await expect(claim()).rejects.toBeInstanceOf(ChatError);
      }
    });

    it('binds claimed uploads to a message and lists them by seq and position', async () => {
      const a = record('p-1', 'u-1');
      const b = record('p-1', 'u-1');
      const c = record('p-1', 'u-1');
      for (const r of [a, b, c]) await store.attachments.save(r);
      await store.attachments.claimFor(
        'p-1',
        'u-1',
        [
          { id: b.id, alt: 'b' },
          { id: a.id, alt: 'a' },
        ],
        'k-1',
      );
      await store.attachments.bindTo('p-1', 7, [b.id, a.id]);
      await store.attachments.claimFor('p-1', 'u-1', [{ id: c.id, alt: 'c' }], 'k-2');
      await store.attachments.bindTo('p-1', 3, [c.id]);
      const listed = await store.attachments.ofMessages('p-1', [3, 7, 9]);
      expect(listed.map((r) => [r.messageSeq, r.alt])).toEqual([
        [3, 'c'],
        [7, 'b'],
        [7, 'a'],
      ]);
      expect(await store.attachments.ofMessages('p-2', [3, 7])).toEqual([]);
      expect(await store.attachments.ofMessages('p-1', [])).toEqual([]);
    });

    it('lists unsent uploads older than a time, oldest first, and deletes them', async () => {
      const old1 = record('p-1', 'u-1', T0 - 3000);
      const old2 = record('p-1', 'u-1', T0 - 2000);
      const fresh = record('p-1', 'u-1', T0);
      const sent = record('p-1', 'u-1', T0 - 5000);
      for (const r of [old2, fresh, old1, sent]) await store.attachments.save(r);
      await store.attachments.claimFor('p-1', 'u-1', [{ id: sent.id, alt: '' }], 'k');
      await store.attachments.bindTo('p-1', 1, [sent.id]);
      expect((await store.attachments.orphansBefore(T0 - 1000, 10)).map((r) => r.id)).toEqual([old1.id, old2.id]);
      expect((await store.attachments.orphansBefore(T0 - 1000, 1)).map((r) => r.id)).toEqual([old1.id]);
      await store.attachments.delete([old1.id, old2.id]);
      expect(await store.attachments.get(old1.id)).toBeNull();
      expect(await store.attachments.orphansBefore(T0 + 1, 10)).toHaveLength(1);
    });
  });
}
