import type { FunnelData, InsightsStore, InsightsUser, MembershipChange } from './types.js';

interface Visitor {
  firstViewAtMs: number;
  messages: number;
}

interface InviteRow extends InsightsUser {
  roomId: string;
}

/**
 * Invites and the funnel (issue 12) of the in-memory store, on maps; every method does its work before its
 * first await, so each is one transaction on JavaScript's one thread. Imports nothing from Node.
 */
export class MemoryInsights implements InsightsStore {
  // code → its owner; `${room}\u0000${user}` → code.
  private readonly invites = new Map<string, InviteRow>();
  private readonly codes = new Map<string, string>();
  // room → user → first view and message count.
  private readonly visitors = new Map<string, Map<string, Visitor>>();
  // room → seq → change (Map keeps insertion order; changes are recorded in seq order per room).
  private readonly changes = new Map<string, Map<number, MembershipChange>>();

  /** See InsightsStore.inviteCode. */
  async inviteCode(productId: string, user: InsightsUser, candidate: string): Promise<{ code: string; created: boolean }> {
    const key = `${productId}\u0000${user.userId}`;
    const existing = this.codes.get(key);
    if (existing !== undefined) return { code: existing, created: false };
    this.codes.set(key, candidate);
    this.invites.set(candidate, { roomId: productId, userId: user.userId, name: user.name });
    return { code: candidate, created: true };
  }

  /** See InsightsStore.inviter. */
  async inviter(productId: string, code: string): Promise<InsightsUser | null> {
    const row = this.invites.get(code);
    return row && row.roomId === productId ? { userId: row.userId, name: row.name } : null;
  }

  /** See InsightsStore.recordView. */
  async recordView(productId: string, userId: string, nowMs: number): Promise<boolean> {
    return this.view(productId, userId, nowMs);
  }

  /** See InsightsStore.recordChat. */
  async recordChat(productId: string, userId: string, nowMs: number): Promise<void> {
    this.view(productId, userId, nowMs);
    const visitor = this.visitors.get(productId)?.get(userId);
    if (visitor) visitor.messages += 1;
  }

  /** See InsightsStore.recordChanges. */
  async recordChanges(productId: string, changes: readonly MembershipChange[]): Promise<void> {
    let room = this.changes.get(productId);
    if (!room) this.changes.set(productId, (room = new Map<number, MembershipChange>()));
    for (const c of changes) {
      if (room.has(c.seq)) continue;
      room.set(c.seq, { ...c });
      if (c.kind === 'JOIN') this.view(productId, c.userId, c.atMs);
    }
  }

  /** See InsightsStore.funnel. */
  async funnel(productId: string): Promise<FunnelData> {
    const visitors = this.visitors.get(productId) ?? new Map<string, Visitor>();
    let chatters = 0;
    let messages = 0;
    for (const v of visitors.values()) {
      if (v.messages > 0) chatters += 1;
      messages += v.messages;
    }
    const names = new Map<string, string>();
    for (const row of this.invites.values()) if (row.roomId === productId) names.set(row.userId, row.name);
    const changes = [...(this.changes.get(productId)?.values() ?? [])]
      .sort((a, b) => a.seq - b.seq)
      .map((c) => ({
        ...c,
        firstViewAtMs: visitors.get(c.userId)?.firstViewAtMs ?? null,
        inviterName: c.inviterId === null ? null : (names.get(c.inviterId) ?? null),
      }));
    return { viewers: visitors.size, chatters, messages, changes };
  }

  private view(productId: string, userId: string, nowMs: number): boolean {
    let room = this.visitors.get(productId);
    if (!room) this.visitors.set(productId, (room = new Map<string, Visitor>()));
    if (room.has(userId)) return false;
    room.set(userId, { firstViewAtMs: nowMs, messages: 0 });
    return true;
  }
}
