import type { ChatMessage, Room, RoomStats } from '@groupbuy/protocol';
import type { FunnelData, MembershipChange } from './types.js';

/** How many inviters `RoomStats.inviters` lists at most. */
export const TOP_INVITERS = 10;

const MINUTE_MS = 60_000;

/**
 * The membership changes in the SYSTEM messages a join or leave wrote (LifecycleResult.messages): one per
 * JOINED / LEFT, the JOINED followed by a CLOSED FILLED marked `fills`. Other messages are skipped.
 */
export function membershipChanges(messages: readonly ChatMessage[]): MembershipChange[] {
  const changes: MembershipChange[] = [];
  for (const m of messages) {
    const event = m.type === 'SYSTEM' ? m.event : undefined;
    if (!event || !m.room) continue;
    if ((event.type === 'JOINED' || event.type === 'LEFT') && event.userId !== undefined) {
      changes.push({
        seq: m.seq,
        kind: event.type === 'JOINED' ? 'JOIN' : 'LEAVE',
        userId: event.userId,
        atMs: Date.parse(m.createdAt),
        count: m.room.participantCount,
        inviterId: event.type === 'JOINED' ? (event.invitedBy?.userId ?? null) : null,
        fills: false,
      });
    } else if (event.type === 'CLOSED' && event.reason === 'FILLED') {
      const last = changes[changes.length - 1];
      if (last?.kind === 'JOIN') last.fills = true;
    }
  }
  return changes;
}

/** The median of `values` (the mean of the middle two for an even count, rounded to whole ms), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value ?? 0);
}

/**
 * A room's {@link RoomStats} from its funnel at `nowMs`: messages per minute over the room's life so far
 * (at least one minute, so the first seconds do not read as a flood; two decimals), the median from a
 * buyer's first view to each of their joins, the time from the room's creation to the join that filled it,
 * the top {@link TOP_INVITERS} inviters by joins through their link (ties by name), and the buyer count
 * after every change.
 */
export function computeRoomStats(room: Pick<Room, 'createdAt'>, data: FunnelData, nowMs: number): RoomStats {
  const createdMs = Date.parse(room.createdAt);
  const joins = data.changes.filter((c) => c.kind === 'JOIN');
  const minutes = Math.max(nowMs - createdMs, MINUTE_MS) / MINUTE_MS;
  const fill = joins.find((c) => c.fills);
  const inviters = new Map<string, { userId: string; name: string; joins: number }>();
  for (const join of joins) {
    if (join.inviterId === null) continue;
    const entry = inviters.get(join.inviterId) ?? { userId: join.inviterId, name: join.inviterName ?? join.inviterId, joins: 0 };
    entry.joins += 1;
    inviters.set(join.inviterId, entry);
  }
  return {
    uniqueViewers: data.viewers,
    chatters: data.chatters,
    joiners: joins.length,
    leavers: data.changes.length - joins.length,
    messagesPerMinute: Math.round((data.messages / minutes) * 100) / 100,
    medianViewToJoinMs: median(joins.map((c) => Math.max(0, c.atMs - (c.firstViewAtMs ?? c.atMs)))),
    timeToFillMs: fill ? Math.max(0, fill.atMs - createdMs) : null,
    inviters: [...inviters.values()]
      .sort((a, b) => b.joins - a.joins || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId))
      .slice(0, TOP_INVITERS),
    participantsOverTime: data.changes.map((c) => ({ at: new Date(c.atMs).toISOString(), count: c.count })),
  };
}
