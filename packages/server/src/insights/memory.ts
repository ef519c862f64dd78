import type { FunnelData, InsightsStore, InsightsUser, MembershipChange } from './types.js';

/** What the in-memory insights read from their store's messages: type and sender only, never content. */
export interface StoredMessageHead {
  /** CHAT, SYSTEM or NOTIFICATION. */
  type: string;
  /** The sender's user id, or null. */
  sender_id: string | null;
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
  // room → user → first view (epoch ms).
  private readonly visitors = new Map<string, Map<string, number>>();
  // room → seq → change (Map keeps insertion order; changes are recorded in seq order per room).
  private readonly changes = new Map<string, Map<number, MembershipChange>>();

  /** `messagesOf(productId)`: the room's stored messages (the store's own rows), for the chat counts. */
  constructor(private readonly messagesOf: (productId: string) => Iterable<StoredMessageHead>) {}

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
    const visitors = this.visitors.get(productId) ?? new Map<string, number>();
    const chatters = new Set<string | null>();
    let messages = 0;
    for (const m of this.messagesOf(productId)) {
      if (m.type !== 'CHAT') continue;
      chatters.add(m.sender_id);
      messages += 1;
    }
    const names = new Map<string, string>();
    for (const row of this.invites.values()) if (row.roomId === productId) names.set(row.userId, row.name);
    const changes = [...(this.changes.get(productId)?.values() ?? [])]
      .sort((a, b) => a.seq - b.seq)
      .map((c) => ({
        ...c,
        firstViewAtMs: visitors.get(c.userId) ?? null,
        inviterName: c.inviterId === null ? null : (names.get(c.inviterId) ?? null),
      }));
    return { viewers: visitors.size, chatters: chatters.size, messages, changes };
  }

  private view(productId: string, userId: string, nowMs: number): boolean {
    let room = this.visitors.get(productId);
    if (!room) this.visitors.set(productId, (room = new Map<string, number>()));
    if (room.has(userId)) return false;
    room.set(userId, nowMs);
    return true;
  }
}
