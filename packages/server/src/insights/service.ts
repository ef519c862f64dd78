import { ChatError, decideInvite, decideStats, inviteParam, isInviteCode, orThrow, type Invite, type RoomStats } from '@groupbuy/protocol';
import type { Principal } from '../auth/jwt.js';
import type { Logger } from '../logger-core.js';
import type { Metrics } from '../metrics.js';
import type { Access, Clock } from '../rooms/service.js';
import type { ChatStore, LifecycleResult } from '../stores/types.js';
import { computeRoomStats, membershipChanges } from './stats.js';
import type { InsightsUser } from './types.js';

/** How many (room, user) first views an instance remembers to skip writing them again. */
export const VIEWS_REMEMBERED = 10_000;

/** What invites and the funnel need from their RoomService (passed in by the service itself). */
export interface InsightsHost {
  /** The room and how `principal` relates to it. */
  access(principal: Principal, productId: string): Promise<Access>;
}

/** What invites and the funnel need from the server. */
export interface InsightsDeps {
  /** Storage (its `insights` tables). */
  store: ChatStore;
  /** Time. */
  clock: Clock;
  /** Structured logs (never a code, a token or message content). */
  logger: Logger;
  /** Counters: totals only, no user or room label. */
  metrics: Metrics;
}

/** A fresh invite code: 16 random bytes (128 bits) as 22 URL-safe base64 characters, from Web Crypto (no Node import). */
export function newInviteCode(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Invite attribution and the seller's funnel (issue 12), for every transport. The funnel is counted from
 * what the server sees anyway: a signed-in subscription (a view), the stored CHAT messages (counted when the
 * stats are asked for), the SYSTEM messages of joins and leaves; nothing about anyone outside the room. Recording never fails the action
 * it follows: an error is logged (code, room, user) and the action stands.
 */
export class Insights {
  // (room, user) pairs whose first view this instance already recorded: a reconnect storm then writes nothing.
  // Bounded: past VIEWS_REMEMBERED it starts over (the store's insert is idempotent anyway).
  private readonly viewsSeen = new Set<string>();

  constructor(
    private readonly host: InsightsHost,
    private readonly deps: InsightsDeps,
  ) {}

  /** The caller's invite link code for the room, the same on every call. Throws FORBIDDEN / ROOM_NOT_FOUND / UNAUTHENTICATED. */
  async invite(principal: Principal, productId: string): Promise<Invite> {
    const access = await this.host.access(principal, productId);
    orThrow(decideInvite(access.relation, access.room));
    const user = { userId: principal.userId, name: principal.name };
    const { code, created } = await this.deps.store.insights.inviteCode(
      access.room.productId,
      user,
      newInviteCode(),
      this.deps.clock.now(),
    );
    if (created) {
      this.deps.metrics.inc('groupbuy_invites_created_total');
      this.deps.logger.log('info', 'invite created', { room: access.room.productId, user: principal.userId });
    }
    return { code, param: inviteParam(code) };
  }

  /**
   * The inviter behind `ref` for a join by `principal`, or undefined: no ref, a ref that is not a code,
   * a code unknown in this room, and the joiner's own code all mean a join without an inviter.
   */
  async inviterFor(principal: Principal, productId: string, ref: string | undefined): Promise<InsightsUser | undefined> {
    if (ref === undefined || !isInviteCode(ref)) return undefined;
    const inviter = await this.deps.store.insights.inviter(productId, ref);
    if (!inviter || inviter.userId === principal.userId) return undefined;
    return inviter;
  }

  /** A signed-in subscription to the room's chat: the user's first view is recorded (not the trade service's). */
  async viewed(principal: Principal, productId: string): Promise<void> {
    const key = `${productId}\u0000${principal.userId}`;
    if (principal.role === 'service' || this.viewsSeen.has(key)) return;
    await this.quietly('view', productId, principal.userId, async () => {
      if (await this.deps.store.insights.recordView(productId, principal.userId, this.deps.clock.now())) {
        this.deps.metrics.inc('groupbuy_room_views_total');
      }
      if (this.viewsSeen.size >= VIEWS_REMEMBERED) this.viewsSeen.clear();
      this.viewsSeen.add(key);
    });
  }

  /** A join or leave the store wrote: its JOINED / LEFT (and CLOSED FILLED) messages become membership changes. */
  async changed(productId: string, userId: string, result: LifecycleResult): Promise<void> {
    const changes = membershipChanges(result.messages);
    if (changes.length === 0) return;
    await this.quietly('membership', productId, userId, () => this.deps.store.insights.recordChanges(productId, changes));
    for (const c of changes) {
      if (c.kind === 'JOIN') this.deps.metrics.inc('groupbuy_joins_total', { via: c.inviterId === null ? 'direct' : 'invite' });
    }
  }

  /** The room's funnel (host and service only). Throws FORBIDDEN / ROOM_NOT_FOUND. */
  async stats(principal: Principal, productId: string): Promise<RoomStats> {
    const access = await this.host.access(principal, productId);
    orThrow(decideStats(access.relation));
    const funnel = await this.deps.store.insights.funnel(access.room.productId);
    return computeRoomStats(access.room, funnel, this.deps.clock.now());
  }

  private async quietly(what: string, productId: string, userId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.deps.logger.log('warn', `insights: recording a ${what} failed`, {
        code: err instanceof ChatError ? err.code : 'INTERNAL',
        room: productId,
        user: userId,
      });
    }
  }
}
