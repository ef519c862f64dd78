import { assertProductId, normalizeContent, type Room, type RoomStatus } from '@groupbuy/protocol';
import type { ChatStore } from '@groupbuy/server/core';

/** A person in a story or test: the token's `sub` and `name`; `role: 'service'` is the trade service. */
export interface TestUser {
  /** User id (JWT `sub`). */
  userId: string;
  /** Display name (JWT `name`). */
  name: string;
  /** @default 'user' */
  role?: 'service' | 'user';
}

/** A message already in a room's history. */
export interface SeedMessage {
  /** The author; null or absent for a notice from the trade service. */
  sender?: TestUser | null;
  /** Text (normalised like a real send). */
  content: string;
  /** @default 'CHAT' with a sender, 'NOTIFICATION' without */
  type?: 'CHAT' | 'NOTIFICATION';
  /** When it was stored, epoch ms or ISO. @default now */
  createdAt?: number | string;
}

/** A buyer already in the deal, with when they joined. */
export type SeedParticipant = TestUser & {
  /** Epoch ms or ISO. @default one minute after the room was created, then a minute apart */
  joinedAt?: number | string;
};

/**
 * A room as it stands when a story or test opens it. Its history is written through the store's own
 * methods in time order, so it is a state the real server can be in: each seeded buyer has the SYSTEM
 * JOINED message a real join writes, a room seeded full is CLOSED (FILLED), the seqs are gap-free.
 */
export interface RoomSeed {
  /** The product (= room) id. */
  productId: string;
  /** Product title. */
  title: string;
  /** The cap. @default 10 */
  maxParticipants?: number;
  /** Buyers needed by the deadline. @default maxParticipants */
  minParticipants?: number;
  /** The deadline, epoch ms or ISO. @default three hours from now */
  expiresAt?: number | string;
  /** When the room was created, epoch ms or ISO. @default a day ago */
  createdAt?: number | string;
  /** The seller's user id. @default null */
  hostId?: string | null;
  /** Ended by the seller (reason HOST) after its history, when CLOSED or CANCELLED. @default 'ACTIVE' */
  status?: RoomStatus;
  /** Buyers already in the deal, in join order. */
  participants?: SeedParticipant[];
  /** History besides the joins; merged with them by time. */
  messages?: SeedMessage[];
  /** People with the chat open already (buyers may be among them); see `InProcessServer.watch`. */
  viewers?: TestUser[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function toMs(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Writes `seed` into `store` at `nowMs` (its viewers are the caller's); returns the room as stored. */
export async function seedRoom(store: ChatStore, seed: RoomSeed, nowMs: number): Promise<Room> {
  const productId = assertProductId(seed.productId);
  const max = seed.maxParticipants ?? 10;
  const createdAt = toMs(seed.createdAt, nowMs - 24 * HOUR);
  const { created } = await store.createRoom(
    {
      productId,
      title: seed.title,
      maxParticipants: max,
      minParticipants: seed.minParticipants ?? max,
      expiresAt: new Date(toMs(seed.expiresAt, nowMs + 3 * HOUR)).toISOString(),
      hostId: seed.hostId ?? null,
    },
    createdAt,
  );
  if (!created) throw new Error(`A room for "${productId}" exists already on this server.`);

  type Step = { at: number; run: (at: number) => Promise<unknown> };
  const steps: Step[] = [
    ...(seed.participants ?? []).map((p, i): Step => ({
      at: toMs(p.joinedAt, createdAt + (i + 1) * MINUTE),
      run: (at) => store.join(productId, { userId: p.userId, name: p.name }, at),
    })),
    ...(seed.messages ?? []).map((m): Step => {
      const sender = m.sender ?? null;
      return {
        at: toMs(m.createdAt, nowMs),
        run: (at) =>
          store.append(
            productId,
            {
              type: m.type ?? (sender ? 'CHAT' : 'NOTIFICATION'),
              sender: sender && { userId: sender.userId, name: sender.name },
              content: normalizeContent(m.content),
              allowedStatuses: ['ACTIVE', 'CLOSED', 'CANCELLED'],
            },
            at,
          ),
      };
    }),
  ];
  // Stable: joins and messages at the same moment keep the order they were given in.
  for (const step of steps.sort((a, b) => a.at - b.at)) await step.run(step.at);
  const status = seed.status ?? 'ACTIVE';
  if (status !== 'ACTIVE') await store.settle(productId, { status, reason: 'HOST' }, nowMs);
  const room = await store.getRoom(productId);
  if (!room) throw new Error(`The room "${productId}" vanished while it was seeded.`);
  return room;
}
