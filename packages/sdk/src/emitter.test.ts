import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  count: number;
  name: string;
}

describe('Emitter', () => {
  it('delivers a payload to every listener of its type, in order', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('count', (n) => seen.push(`a${n}`));
    emitter.on('count', (n) => seen.push(`b${n}`));
    emitter.on('name', (s) => seen.push(s));
    emitter.emit('count', 1);
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('stops delivering once the returned function is called', () => {
    const emitter = new Emitter<Events>();
    const listener = vi.fn();
    const off = emitter.on('count', listener);
    off();
    emitter.emit('count', 1);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps delivering to the others when one listener throws', async () => {
    const emitter = new Emitter<Events>();
    const after = vi.fn();
    const thrown = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (task) => {
        globalThis.queueMicrotask = original;
        try {
          task();
        } catch (err) {
          resolve(err);
        }
      };
    });
    emitter.on('count', () => {
      throw new Error('listener bug');
    });
    emitter.on('count', after);
    emitter.emit('count', 2);
    expect(after).toHaveBeenCalledWith(2);
    expect(await thrown).toEqual(new Error('listener bug'));
  });

  it('lets a listener remove itself while the event is delivered', () => {
    const emitter = new Emitter<Events>();
    const second = vi.fn();
    const off = emitter.on('count', () => off());
    emitter.on('count', second);
    emitter.emit('count', 1);
    emitter.emit('count', 2);
    expect(second).toHaveBeenCalledTimes(2);
  });
});
