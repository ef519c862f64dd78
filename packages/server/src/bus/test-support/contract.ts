import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@groupbuy/protocol';
import type { MessageBus } from '../types.js';

/** Two bus instances that stand for two server instances sharing one deployment. */
export interface BusPair {
  /** Instance A. */
  a: MessageBus;
  /** Instance B. */
  b: MessageBus;
  /** Closes both and frees what the pair used. */
  cleanup(): Promise<void>;
}

function msg(roomId: string, seq: number): ChatMessage {
  return {
    id: `m${seq}`,
    roomId,
    seq,
    type: 'CHAT',
    sender: { userId: 'u', name: 'U' },
    content: `c${seq}`,
    createdAt: new Date(0).toISOString(),
  };
}

/** Both instances follow the rooms (a bus without follow delivers every room anyway). */
async function followAll(pair: BusPair, ...rooms: string[]): Promise<void> {
  await Promise.all(rooms.flatMap((r) => [pair.a.follow?.(r) ?? Promise.resolve(), pair.b.follow?.(r) ?? Promise.resolve()]));
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The contract every MessageBus passes (memory, Redis). */
export function describeBusContract(name: string, makePair: () => Promise<BusPair>): void {
  describe(`MessageBus contract: ${name}`, () => {
    let pair: BusPair | null = null;
    afterEach(async () => {
      await pair?.cleanup();
      pair = null;
    });

    it('delivers a published message to every instance, the publisher included', async () => {
      pair = await makePair();
      const seenA: ChatMessage[] = [];
      const seenB: ChatMessage[] = [];
      pair.a.subscribe((_r, m) => seenA.push(m));
      pair.b.subscribe((_r, m) => seenB.push(m));
      await followAll(pair, 'room-1');
      await pair.a.publish('room-1', msg('room-1', 1));
      await until(() => seenA.length === 1 && seenB.length === 1, 'both instances to receive');
      expect(seenB[0]).toEqual(msg('room-1', 1));
    });

    it('keeps one publisher’s order across 1000 messages', async () => {
      pair = await makePair();
      const seqs: number[] = [];
      pair.b.subscribe((roomId, m) => {
        if (roomId === 'ordered') seqs.push(m.seq);
      });
      await followAll(pair, 'ordered');
      await Promise.all(Array.from({ length: 1000 }, (_, i) => pair!.a.publish('ordered', msg('ordered', i + 1))));
      await until(() => seqs.length === 1000, '1000 messages');
      expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    });

    it('passes the room id with each message', async () => {
      pair = await makePair();
      const rooms: string[] = [];
      pair.b.subscribe((roomId) => rooms.push(roomId));
      await followAll(pair, 'apples', 'pears_2');
      await pair.a.publish('apples', msg('apples', 1));
      await pair.a.publish('pears_2', msg('pears_2', 1));
      await until(() => rooms.length === 2, 'two rooms');
      expect(rooms).toEqual(['apples', 'pears_2']);
    });

    it('stops delivering to a handler once it unsubscribes', async () => {
      pair = await makePair();
      const kept: number[] = [];
      const dropped: number[] = [];
      pair.b.subscribe((_r, m) => kept.push(m.seq));
      const off = pair.b.subscribe((_r, m) => dropped.push(m.seq));
      await followAll(pair, 'r');
      await pair.a.publish('r', msg('r', 1));
      await until(() => kept.length === 1 && dropped.length === 1, 'first delivery');
      off();
      await pair.a.publish('r', msg('r', 2));
      await until(() => kept.length === 2, 'second delivery');
      expect(dropped).toEqual([1]);
    });

    it('delivers a room only to the instances that follow it, from follow until unfollow', async () => {
      pair = await makePair();
      const { a, b } = pair;
      if (!a.follow || !b.follow || !b.unfollow) return; // a bus without follow delivers every room everywhere
      const seenA: string[] = [];
      const seenB: string[] = [];
      a.subscribe((roomId, m) => seenA.push(`${roomId}:${m.seq}`));
      b.subscribe((roomId, m) => seenB.push(`${roomId}:${m.seq}`));
      await a.follow('only-a');
      await Promise.all([a.follow('both'), b.follow('both')]);
      await a.publish('only-a', msg('only-a', 1));
      await a.publish('both', msg('both', 1));
      await until(() => seenB.length === 1 && seenA.length === 2, 'the followed rooms');
      await b.unfollow('both');
      await a.publish('both', msg('both', 2));
      // b follows again: it gets what is published after the confirmation, in order.
      await b.follow('both');
      await a.publish('both', msg('both', 3));
      await until(() => seenA.length === 4 && seenB.length === 2, 'after the re-follow');
      expect(seenA).toEqual(['only-a:1', 'both:1', 'both:2', 'both:3']);
      expect(seenB).toEqual(['both:1', 'both:3']);
    });
  });
}
