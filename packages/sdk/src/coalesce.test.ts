import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce.js';

describe('coalesce', () => {
  it('shares one run between overlapping calls and runs once more for a call that came during it', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const refresh = coalesce(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    const first = refresh();
    const second = refresh();
    const third = refresh();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(runs).toBe(2);
    await refresh();
    expect(runs).toBe(3);
  });

  it('swallows a failed run so the next call starts afresh', async () => {
    let calls = 0;
    const refresh = coalesce(async () => {
      calls += 1;
      if (calls === 1) throw new Error('offline');
    });
    await expect(refresh()).resolves.toBeUndefined();
    await refresh();
    expect(calls).toBe(2);
  });
});
