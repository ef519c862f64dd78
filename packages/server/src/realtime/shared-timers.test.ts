import { describe, expect, it } from 'vitest';
import { SharedBeats, SharedDeadlines } from './shared-timers.js';

const until = async (test: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!test()) throw new Error(`timed out waiting for ${what}`);
};

describe('SharedDeadlines', () => {
  it('hands each item over once its delay passed, in one sweep, and never one deleted before', async () => {
    const due: string[] = [];
    const deadlines = new SharedDeadlines<string>((item) => due.push(item), 50);
    deadlines.set('late', 60);
    deadlines.set('first', 0);
    deadlines.set('gone', 0);
    expect(deadlines.delete('gone')).toBe(true);
    await until(() => due.length === 2, 'both deadlines');
    expect(due).toEqual(['first', 'late']);
    expect(deadlines.delete('late')).toBe(false);
    deadlines.stop();
  });

  it('re-arms for an earlier deadline set after a later one', async () => {
    const due: string[] = [];
    const deadlines = new SharedDeadlines<string>((item) => due.push(item), 10);
    deadlines.set('an hour', 3_600_000);
    deadlines.set('now', 0);
    await until(() => due.length === 1, 'the earlier deadline');
    expect(due).toEqual(['now']);
    deadlines.stop();
  });
});

describe('SharedBeats', () => {
  it('beats every member of a period until it leaves, and stops after the last leaves', async () => {
    const beats = new SharedBeats();
    const seen = { a: 0, b: 0 };
    const a = {
      beat: () => {
        seen.a++;
      },
    };
    const b = {
      beat: () => {
        seen.b++;
      },
    };
    beats.join(20, a);
    beats.join(20, b);
    await until(() => seen.a >= 2 && seen.b >= 2, 'two beats each');
    beats.leave(20, a);
    const aAfter = seen.a;
    await until(() => seen.b >= aAfter + 3, 'more beats of b');
    expect(seen.a).toBe(aAfter);
    beats.leave(20, b);
    beats.leave(20, b);
    const bAfter = seen.b;
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.b).toBe(bAfter);
  });
});
