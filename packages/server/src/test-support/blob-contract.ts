import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../attachments/blobs.js';

/** A fresh store and how to release it. */
export interface BlobHarness {
  /** An empty store. */
  blobs: BlobStore;
  /** Releases it. */
  cleanup(): Promise<void>;
}

/** What every BlobStore must do (issue 12): put, get back the same bytes, replace, delete idempotently, refuse foreign keys. */
export function describeBlobStoreContract(name: string, make: () => Promise<BlobHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let harness: BlobHarness;
    beforeEach(async () => {
      harness = await make();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('gives back the bytes put under a key, and null for a key never put', async () => {
      const id = randomUUID();
      const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      await harness.blobs.put(`${id}.full`, data, 'image/png');
      expect(await harness.blobs.get(`${id}.full`)).toEqual(data);
      expect(await harness.blobs.get(`${id}.preview`)).toBeNull();
    });

    it('replaces the bytes on a second put', async () => {
      const key = `${randomUUID()}.preview`;
      await harness.blobs.put(key, Buffer.from('first'), 'image/webp');
      await harness.blobs.put(key, Buffer.from('second'), 'image/webp');
      expect((await harness.blobs.get(key))?.toString()).toBe('second');
    });

    it('deletes a key, and deleting a missing one is no error', async () => {
      const key = `${randomUUID()}.full`;
      await harness.blobs.put(key, Buffer.alloc(1024, 7), 'image/jpeg');
      await harness.blobs.delete(key);
      expect(await harness.blobs.get(key)).toBeNull();
      await harness.blobs.delete(key);
    });

    it('refuses a key that is not an upload id and variant', async () => {
      for (const key of ['../etc/passwd', 'x.full', `${randomUUID()}.html`]) {
        await expect(harness.blobs.put(key, Buffer.from('x'), 'text/html')).rejects.toThrow(/Bad blob key/);
      }
    });
  });
}
