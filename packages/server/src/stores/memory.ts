import { appendOutcome, joinOutcome, leaveOutcome, orThrow, settleOutcome } from '@groupbuy/protocol';
import type {
  ChatMessage,
  HistoryQuery,
  MessagePage,
  MessageReport,
  Participant,
  Room,
  RoomSnapshot,
  SystemEvent,
  ValidCreateRoomInput,
} from '@groupbuy/protocol';
import type { ContentCipher } from './content-cipher.js';
import { countsAsUnread, nextReadPosition, type ReadStore } from './reads.js';
import {
  assertPageLimit,
  newMessageRow,
  newRoomRow,
  notFound,
  ruleState,
  sentDraft,
  systemDraft,
  toMessage,
  toParticipant,
  toRoom,
  type MessageDraft,
  type MessageRow,
  type ParticipantRow,
  type RoomRow,
} from './rows.js';
import {
  planModeration,
  snapshotOf,
  targetSeq,
  toReport,
  type ModerationChange,
  type ModerationResult,
  type ModerationStore,
  type NewReport,
} from './moderation.js';
import { MemoryAttachments } from './memory-attachments.js';
import { MemoryInsights } from '../insights/memory.js';
import { joinedEvent, type InsightsStore, type JoiningUser } from '../insights/types.js';
import { MemoryAddresses } from './addresses-memory.js';
import type { AddressStore } from './addresses.js';
import type { AttachmentStore } from './attachment-types.js';
import type { AppendResult, ChatStore, JoinResult, LeaveResult, LifecycleResult, NewMessage, SettleRequest } from './types.js';

// Content stays as given: nothing here is at rest. Written out rather than imported from
// content-cipher.ts, whose AES half needs node:crypto and would keep this store out of a browser.
const identity: ContentCipher = { keyId: null, encrypt: (plain) => plain, decrypt: (stored) => stored };

interface RoomState {
  row: RoomRow;
  // Insertion order is join order; a buyer who leaves and joins again is deleted and re-added, so last.
  participants: Map<string, ParticipantRow>;
  messages: MessageRow[];
  // `${senderId ?? ''}\u0000${clientMsgId}` → the stored row, for idempotent retries.
  byClientMsgId: Map<string, MessageRow>;
}

/**
 * The ChatStore on plain maps, for one process that keeps nothing: Storybook, element tests and the
 * in-process core of `@groupbuy/testing`. It passes the same contract suite as SQLite and PostgreSQL and
 * decides nothing itself: every outcome (join, leave, append, settle) comes from the protocol's rules.
 * Each method does all its reads and writes before its first `await`, so on JavaScript's one thread
 * every method is one transaction; rows are built by the same mapping as the SQL stores (rows.ts),
 * so the JSON it hands out has the same shape. Imports nothing from Node.
 */
export class MemoryStore implements ChatStore {
  private readonly rooms = new Map<string, RoomState>();
  // Read positions: `${room}\u0000${user}` → seq.
  private readonly readPositions = new Map<string, number>();
  // Moderation: `${room}\u0000${user}` → mute end (epoch ms); room → report rows.
  private readonly mutes = new Map<string, number>();
  private readonly reportRows = new Map<string, { seq: number; reporter_id: string; reason: string; created_at: number }[]>();
  private closed = false;

  /** Creates a room; an existing product id returns the stored room unchanged with `created: false`. */
  async createRoom(input: ValidCreateRoomInput, nowMs: number): Promise<{ room: Room; created: boolean }> {
    this.assertOpen();
    const existing = this.rooms.get(input.productId);
    if (existing) return { room: toRoom(existing.row), created: false };
    const row = newRoomRow(input, nowMs);
    this.rooms.set(input.productId, { row, participants: new Map(), messages: [], byClientMsgId: new Map() });
    return { room: toRoom(row), created: true };
  }

  /** The room, or null. */
  async getRoom(productId: string): Promise<Room | null> {
    this.assertOpen();
    const state = this.rooms.get(productId);
    return state ? toRoom(state.row) : null;
  }

  /** Adds a buyer against the cap; see {@link ChatStore.join}. */
  async join(productId: string, user: JoiningUser, nowMs: number): Promise<JoinResult> {
    const state = this.mustGet(productId);
    const { row } = state;
    const outcome = orThrow(joinOutcome(ruleState(row), state.participants.has(user.userId)));
    if (!outcome.joined) return { room: toRoom(row), messages: [], joined: false };

    const count = outcome.participantCount;
    row.participant_count = count;
    const joined = this.writeSystem(
      state,
      joinedEvent(user),
      { status: 'ACTIVE', participantCount: count, maxParticipants: row.max_participants },
      nowMs,
    );
    state.participants.set(user.userId, { user_id: user.userId, name: user.name, joined_at: nowMs });
    const messages = [joined];
    if (outcome.fills) {
      row.status = 'CLOSED';
      row.closed_at = nowMs;
      messages.push(
        this.writeSystem(
          state,
          { type: 'CLOSED', reason: 'FILLED' },
          { status: 'CLOSED', participantCount: count, maxParticipants: row.max_participants },
          nowMs,
        ),
      );
    }
    return { room: toRoom(row), messages, joined: true };
  }

  /** Removes a buyer while the room is ACTIVE; see {@link ChatStore.leave}. */
  async leave(productId: string, userId: string, nowMs: number): Promise<LeaveResult> {
    const state = this.mustGet(productId);
    const { row } = state;
    const participant = state.participants.get(userId);
    orThrow(leaveOutcome(row.status, participant !== undefined));
    if (!participant) return { room: toRoom(row), messages: [], left: false };

    state.participants.delete(userId);
    row.participant_count -= 1;
    const left = this.writeSystem(
      state,
      { type: 'LEFT', userId, name: participant.name },
      { status: 'ACTIVE', participantCount: row.participant_count, maxParticipants: row.max_participants },
      nowMs,
    );
    return { room: toRoom(row), messages: [left], left: true };
  }

  /** True when the user is a buyer in the room. */
  async isParticipant(productId: string, userId: string): Promise<boolean> {
    this.assertOpen();
    return this.rooms.get(productId)?.participants.has(userId) ?? false;
  }

  /** The buyers, in join order. */
  async participants(productId: string): Promise<Participant[]> {
    this.assertOpen();
    return [...(this.rooms.get(productId)?.participants.values() ?? [])].map(toParticipant);
  }

  /** Appends are decided synchronously, in call order: see ChatStore.appendsInCallOrder. */
  readonly appendsInCallOrder = true;

  /** Stores a message with the room's next seq, idempotently per (room, sender, clientMsgId). */
  async append(productId: string, message: NewMessage, nowMs: number): Promise<AppendResult> {
    const state = this.mustGet(productId);
    const key = message.clientMsgId === undefined ? undefined : `${message.sender?.userId ?? ''}\u0000${message.clientMsgId}`;
    const existing = key === undefined ? undefined : state.byClientMsgId.get(key);
    if (orThrow(appendOutcome(state.row.status, message.allowedStatuses, existing !== undefined)).duplicate && existing) {
      return { message: toMessage(existing, existing.content), duplicate: true };
    }
    const stored = this.insertNew(state, sentDraft(message, nowMs));
    if (key !== undefined) state.byClientMsgId.set(key, stored.row);
    return { message: stored.message, duplicate: false };
  }

  /** A page of history, ascending by seq; see {@link ChatStore.page}. */
  async page(productId: string, query: HistoryQuery): Promise<MessagePage> {
    const state = this.mustGet(productId);
    const { limit } = query;
    assertPageLimit(limit);
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    // Seqs are gap-free from 1, so message n sits at index n - 1.
    const all = state.messages;
    if (query.after !== undefined) {
      const from = Math.max(0, query.after);
      const rows = all.slice(from, from + limit + 1).filter((r) => r.seq < before);
      return { messages: rows.slice(0, limit).map((r) => toMessage(r, r.content)), hasMore: rows.length > limit };
    }
    const end = Math.min(all.length, Math.max(0, before - 1));
    const rows = all.slice(Math.max(0, end - limit - 1), end);
    const hasMore = rows.length > limit;
    return { messages: rows.slice(hasMore ? 1 : 0).map((r) => toMessage(r, r.content)), hasMore };
  }

  /** Moves an ACTIVE room to CLOSED or CANCELLED; null when it already left ACTIVE. */
  async settle(productId: string, request: SettleRequest, nowMs: number): Promise<LifecycleResult | null> {
    const state = this.mustGet(productId);
    const { row } = state;
    const status = settleOutcome(toRoom(row), 'status' in request ? request.status : 'DEADLINE');
    if (status === null) return null;
    row.status = status;
    row.closed_at = nowMs;
    const message = this.writeSystem(
      state,
      { type: status, reason: request.reason },
      { status, participantCount: row.participant_count, maxParticipants: row.max_participants },
      nowMs,
    );
    return { room: toRoom(row), messages: [message] };
  }

  /** ACTIVE rooms whose deadline is at or before `nowMs`, earliest first. */
  async dueRooms(nowMs: number): Promise<Room[]> {
    this.assertOpen();
    return [...this.rooms.values()]
      .map((s) => s.row)
      .filter((r) => r.status === 'ACTIVE' && r.expires_at <= nowMs)
      .sort((a, b) => a.expires_at - b.expires_at)
      .map(toRoom);
  }

  /** The earliest deadline of any ACTIVE room (epoch ms), or null. */
  async nextDeadline(): Promise<number | null> {
    this.assertOpen();
    let next: number | null = null;
    for (const { row } of this.rooms.values()) {
      if (row.status === 'ACTIVE' && (next === null || row.expires_at < next)) next = row.expires_at;
    }
    return next;
  }

  // ── Moderation (issue 11): see ChatStore and moderation.ts ──
  readonly moderation: ModerationStore = {
    /** One message by seq, or null. */
    message: async (productId: string, seq: number): Promise<ChatMessage | null> => {
      const row = this.mustGet(productId).messages[seq - 1];
      return row ? toMessage(row, row.content) : null;
    },

    /** Applies a moderation change with its SYSTEM message. */
    moderate: async (productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult> => {
      const state = this.mustGet(productId);
      const seq = targetSeq(change);
      const targetRow = seq === null ? undefined : state.messages[seq - 1];
      const target = targetRow ? toMessage(targetRow, targetRow.content) : null;
      const plan = planModeration(state.row, change, target);
      if (!plan) return { room: toRoom(state.row), messages: [], target };
      if (plan.erase !== undefined && targetRow) {
        targetRow.content = '';
        targetRow.deleted = 1;
      }
      if (plan.slowModeMs !== undefined) state.row.slow_mode_ms = plan.slowModeMs;
      if (plan.pinned !== undefined) state.row.pinned = plan.pinned;
      const message = this.writeSystem(state, plan.event, snapshotOf(state.row), nowMs);
      return { room: toRoom(state.row), messages: [message], target: targetRow ? toMessage(targetRow, targetRow.content) : null };
    },

    /** Mutes a user until `untilMs`, or lifts it (null). */
    setMute: async (productId: string, userId: string, untilMs: number | null): Promise<void> => {
      const state = this.mustGet(productId);
      if (untilMs === null) this.mutes.delete(`${productId}\u0000${userId}`);
      else this.mutes.set(`${state.row.product_id}\u0000${userId}`, untilMs);
    },

    /** When the user's mute ends, or null. */
    muteUntil: async (productId: string, userId: string): Promise<number | null> => {
      this.assertOpen();
      return this.mutes.get(`${productId}\u0000${userId}`) ?? null;
    },

    /** Stores (or replaces) a report. */
    addReport: async (productId: string, report: NewReport, nowMs: number): Promise<MessageReport> => {
      const state = this.mustGet(productId);
      const row = { seq: report.seq, reporter_id: report.reporterId, reason: report.reason, created_at: nowMs };
      const list = this.reportRows.get(state.row.product_id) ?? [];
      const kept = list.filter((r) => !(r.seq === report.seq && r.reporter_id === report.reporterId));
      kept.push(row);
      kept.sort((a, b) => a.seq - b.seq || a.created_at - b.created_at);
      this.reportRows.set(state.row.product_id, kept);
      return toReport(row);
    },

    /** The room's reports, by seq then time. */
    reports: async (productId: string): Promise<MessageReport[]> => {
      this.mustGet(productId);
      return (this.reportRows.get(productId) ?? []).map(toReport);
    },
  };

  // ── Read positions (issue 12): reads.ts ──
  /** Read positions: one map, the counting rule of reads.ts. */
  readonly reads: ReadStore = {
    markRead: async (productId, userId, seq) => {
      const state = this.mustGet(productId);
      const key = `${productId}\u0000${userId}`;
      const result = nextReadPosition(this.readPositions.get(key) ?? 0, seq, state.row.last_seq);
      if (result.moved) this.readPositions.set(key, result.seq);
      return result;
    },
    unreadCount: async (productId, userId) => {
      const state = this.mustGet(productId);
      const position = this.readPositions.get(`${productId}\u0000${userId}`) ?? 0;
      let n = 0;
      for (const row of state.messages) if (row.seq > position && countsAsUnread({ type: row.type, senderId: row.sender_id }, userId)) n++;
      return n;
    },
  };

  /** The shipping addresses (issue 11): addresses-memory.ts. */
  readonly addresses: AddressStore = new MemoryAddresses({
    exists: (productId) => this.rooms.has(productId),
    endedAt: (productId) => this.rooms.get(productId)?.row.closed_at ?? null,
  });

  /** The uploads (issue 12): memory-attachments.ts. */
  readonly attachments: AttachmentStore = new MemoryAttachments();

  /** Invites and the funnel (issue 12): insights/memory.ts. */
  readonly insights: InsightsStore = new MemoryInsights((productId) => this.rooms.get(productId)?.messages ?? []);

  /** Resolves while the store is open. */
  async ping(): Promise<void> {
    this.assertOpen();
  }

  /** Forgets everything; calling it again does nothing. */
  async close(): Promise<void> {
    this.closed = true;
    this.rooms.clear();
  }

  private assertOpen(): void {
    // As a closed database would: a late call after shutdown is a bug to surface, not data to invent.
    if (this.closed) throw new Error('The memory store is closed.');
  }

  private mustGet(productId: string): RoomState {
    this.assertOpen();
    const state = this.rooms.get(productId);
    if (!state) throw notFound(productId);
    return state;
  }

  private writeSystem(state: RoomState, event: SystemEvent, room: RoomSnapshot, nowMs: number): ChatMessage {
    return this.insertNew(state, systemDraft(event, room, nowMs)).message;
  }

  private insertNew(state: RoomState, draft: MessageDraft): { message: ChatMessage; row: MessageRow } {
    state.row.last_seq += 1;
    const row = newMessageRow(state.row.product_id, state.row.last_seq, draft, identity);
    state.messages.push(row);
    return { message: toMessage(row, draft.content), row };
  }
}
