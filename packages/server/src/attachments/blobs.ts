import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where image bytes live, by key (`<uploadId>.full`, `<uploadId>.preview`). */
export interface BlobStore {
  /** Stores `data` under `key` (replacing it). */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`, or null. */
  get(key: string): Promise<Buffer | null>;
  /** Removes `key`; no error when it is missing. */
  delete(key: string): Promise<void>;
}

// Keys are built by this module's callers from server-minted UUIDs; anything else is refused, so a key
// can never climb out of the folder.
const KEY = /^[0-9a-f-]{36}\.(?:full|preview)$/;

/** `key` when it is a blob key (`<uuid>.full` / `<uuid>.preview`); throws otherwise. Every BlobStore checks it. */
export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error('Bad blob key.');
  return key;
}

/** The default BlobStore: files in a folder (ATTACHMENT_DIR, by default `attachments/` beside the SQLite file). */
export class FsBlobStore implements BlobStore {
  private ready: Promise<unknown> | null = null;

  constructor(private readonly root: string) {}

  async put(key: string, data: Buffer): Promise<void> {
    this.ready ??= mkdir(this.root, { recursive: true });
    await this.ready;
    const path = join(this.root, checkKey(key));
    // Written aside then renamed: a reader never sees half a file.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.root, checkKey(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.root, checkKey(key)), { force: true });
  }
}
