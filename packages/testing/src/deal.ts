import type { InProcessServer } from './server.js';
import type { TestUser } from './seed.js';

/** How a scripted deal plays out, step by step; see {@link playDeal}. */
export interface DealScript {
  /**
   * `FILLED`: buyers join until the cap closes the deal. `CANCELLED`: buyers join but stay below the
   * minimum, then the clock jumps to the deadline and the scheduler cancels it. @default 'FILLED'
   */
  ending?: 'FILLED' | 'CANCELLED';
  /** Buyers who join one after another. @default generated names, as many as the ending needs */
  buyers?: TestUser[];
  /** Time between two steps, in ms. @default 1500 */
  stepMs?: number;
  /** Lines the joining buyers say, used in turn. */
  lines?: string[];
  /** Cut every connection after this many joins, for `offlineMs`: the chat reconnects and catches up. */
  disconnectAfterJoins?: number;
  /** How long the outage lasts, in ms. @default 3000 */
  offlineMs?: number;
}

/** A running {@link DealScript}. */
export interface DealPlayback {
  /** Stops the script; what happened stays. */
  stop(): void;
  /** Resolves when the script ran to its end or was stopped. */
  readonly done: Promise<void>;
}

const BUYER_NAMES = ['하윤', 'Ethan', '지호', 'Noa', '서아', 'Liam', '예준', 'Zoe', '수아', 'Kai', '도하', 'Ivy'];
const LINES = ['안녕하세요! 저도 참여할게요 🙌', 'Is the shipping included?', '배송은 언제쯤 시작되나요?', 'Count me in!'];

/**
 * Plays a deal on `server`'s room `productId` through the real core: buyers join and chat, an optional
 * outage, and the ending — the join that fills the cap (CLOSED, FILLED) or the deadline passing short of
 * the minimum (CANCELLED). Steps the room refuses (it ended meanwhile) end the script as the deal would.
 */
export function playDeal(server: InProcessServer, productId: string, script: DealScript = {}): DealPlayback {
  const stepMs = script.stepMs ?? 1500;
  const lines = script.lines ?? LINES;
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const run = async (): Promise<void> => {
    const room = await server.getRoom(productId);
    if (!room) throw new Error(`There is no room "${productId}" to play a deal in.`);
    const ending = script.ending ?? 'FILLED';
    const needed =
      ending === 'FILLED' ? room.maxParticipants - room.participantCount : Math.max(0, room.minParticipants - room.participantCount - 1);
    const buyers =
      script.buyers ??
      Array.from({ length: needed }, (_, i) => ({
        userId: `deal-buyer-${room.lastSeq}-${i + 1}`,
        name: BUYER_NAMES[i % BUYER_NAMES.length] ?? `Buyer ${i + 1}`,
      }));
    for (const [i, buyer] of buyers.entries()) {
      await wait(stepMs);
      if (stopped) return;
      const joined = await server.join(productId, buyer);
      const line = lines[i % Math.max(lines.length, 1)];
      if (joined.status !== 'ACTIVE') return;
      if (line) {
        await wait(stepMs / 2);
        if (stopped) return;
        await server.post(productId, { sender: buyer, content: line });
      }
      if (script.disconnectAfterJoins === i + 1) {
        server.disconnect();
        await wait(script.offlineMs ?? 3000);
        server.reconnect();
      }
    }
    if (ending === 'CANCELLED' && !stopped) {
      await wait(stepMs);
      const now = await server.getRoom(productId);
      if (!stopped && now?.status === 'ACTIVE') await server.advance(Math.max(0, Date.parse(now.expiresAt) - server.now()));
    }
  };

  void run()
    .catch(() => undefined) // a refused step (the deal ended meanwhile) ends the script
    .finally(() => finish());
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      finish();
    },
    done,
  };
}
