import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./core.ts', import.meta.url));

describe('@groupbuy/server/core', () => {
  it('bundles for the browser without importing any Node built-in', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    // A `node:` import would be left external (and fail in the page); a bare Node module name would not resolve.
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
    expect(inputs.some((path) => path.endsWith('stores/memory.ts'))).toBe(true);
    expect(inputs.some((path) => /better-sqlite3|[/\\]pg[/\\]|ioredis|socket\.io[/\\]|[/\\]ws[/\\]/.test(path))).toBe(false);
  });

  it('exports the pieces an in-process server is built from', async () => {
    const core = await import('./core.js');
    for (const name of [
      'RoomService',
      'Hub',
      'DeadlineScheduler',
      'MemoryStore',
      'MemoryBus',
      'LocalPresence',
      'TokenVerifier',
      'signToken',
      'createApiApp',
      'assembleCore',
      'ConnectionSession',
    ]) {
      expect(core).toHaveProperty(name);
    }
  });
});
