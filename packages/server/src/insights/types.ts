import type { Sender, SystemEvent } from '@groupbuy/protocol';

// Invite attribution and the seller's funnel (issue 12): what the stores keep. One class per backend
// (sqlite.ts, postgres.ts, memory.ts beside this file), reached as `ChatStore.insights`.

/** A user as the insights tables name them. */
export interface InsightsUser {
  /** The JWT `sub`. */
  userId: string;
  /** The JWT `name`. */
  name: string;
}

/** A joining buyer: the user, and who invited them when the join came through a valid invite link. */
export interface JoiningUser extends InsightsUser {
  /** The inviter (never the joining user themself). */
  invitedBy?: InsightsUser;
}

/** The SYSTEM JOINED event of a join, with `invitedBy` when it came through an invite. Every store writes this one. */
export function joinedEvent(user: JoiningUser): SystemEvent {
  const invitedBy: Sender | undefined = user.invitedBy ? { userId: user.invitedBy.userId, name: user.invitedBy.name } : undefined;
  return { type: 'JOINED', userId: user.userId, name: user.name, ...(invitedBy ? { invitedBy } : {}) };
}

/** One change of a room's buyers, taken from the SYSTEM message the store wrote for it. */
export interface MembershipChange {
  /** The seq of the JOINED / LEFT message: the change's identity (recording it twice changes nothing). */
  seq: number;
  /** A join or a leave. */
  kind: 'JOIN' | 'LEAVE';
  /** The buyer. */
  userId: string;
  /** When, epoch ms. */
  atMs: number;
  /** Buyers after the change. */
  count: number;
  /** JOIN through an invite link: the inviter's user id. */
  inviterId: string | null;
  /** True for the join that filled the deal. */
  fills: boolean;
}

/** One membership change as the funnel reads it back, with what the stats need beside it. */
export interface FunnelChange extends MembershipChange {
  /** The buyer's first view of the room (epoch ms); a join always has one (a join counts as a view). */
  firstViewAtMs: number | null;
  /** The inviter's name, from their invite (JOIN through an invite only). */
  inviterName: string | null;
}

/** Everything {@link InsightsStore.funnel} reads for one room's stats. */
export interface FunnelData {
  /** Distinct users with a recorded view. */
  viewers: number;
  /** Distinct senders of the room's stored CHAT messages. */
  chatters: number;
  /** The room's stored CHAT messages (tombstones included: they were posted). */
  messages: number;
  /** Every membership change, by seq. */
  changes: FunnelChange[];
}

/**
 * The insights tables of a store (migration v7): invite codes and the funnel. Chatters and messages are
 * counted from the stored CHAT messages themselves when asked (`funnel`), so a send writes nothing more.
 * Every method returns a Promise; times are epoch ms. No method takes or reads message content.
 */
export interface InsightsStore {
  /**
   * The user's invite code for the room: the stored one, or `candidate` stored now (`created: true`).
   * The same user and room get the same code on every call, also when two calls race.
   */
  inviteCode(productId: string, user: InsightsUser, candidate: string, nowMs: number): Promise<{ code: string; created: boolean }>;
  /** Who owns invite `code` in the room, or null (unknown code, or a code of another room). */
  inviter(productId: string, code: string): Promise<InsightsUser | null>;
  /** Records a signed-in user's view of the room; true when it is their first. */
  recordView(productId: string, userId: string, nowMs: number): Promise<boolean>;
  /** Records membership changes (idempotent by seq); a join records the buyer's view when none was. */
  recordChanges(productId: string, changes: readonly MembershipChange[]): Promise<void>;
  /** What the room's stats are computed from (stats.ts). */
  funnel(productId: string): Promise<FunnelData>;
}
