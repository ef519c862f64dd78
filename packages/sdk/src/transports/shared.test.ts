// How a `viewers` frame body becomes an event: `count` is the total, and a body without one (an older server,
// which sent the whole list) counts its list.
import { describe, expect, it } from 'vitest';
import { toServerEvent } from './shared.js';

const viewers = [
  { userId: 'a', name: 'A' },
  { userId: 'b', name: 'B' },
];

describe('viewers frames', () => {
  it('take count as the total when the list is capped', () => {
    expect(toServerEvent('viewers', { roomId: 'p', count: 1234, viewers })).toEqual({ type: 'viewers', roomId: 'p', count: 1234, viewers });
  });

  it("count the list from a server that sends no count, or a count below the list's length", () => {
    expect(toServerEvent('viewers', { roomId: 'p', viewers })).toMatchObject({ count: 2 });
    expect(toServerEvent('viewers', { roomId: 'p', count: 1, viewers })).toMatchObject({ count: 2 });
    expect(toServerEvent('viewers', { roomId: 'p', count: 'many', viewers })).toMatchObject({ count: 2 });
  });
});
