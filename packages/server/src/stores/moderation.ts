import { ChatError, type ChatMessage, type MessageReport, type RoomSnapshot, type SystemEvent } from '@groupbuy/protocol';
import type { RoomRow } from './rows.js';
import type { LifecycleResult } from './types.js';

// Moderation (issue 11), shared by the SQLite, PostgreSQL and in-memory stores: what a change does to the
// room row and which SYSTEM message announces it, decided once on the row and target the store holds locked.

/** A moderation change a store applies in one transaction with the SYSTEM message that announces it. */
export type ModerationChange =
  /** Erase a message's content (a tombstone keeps seq, sender and time). */
  | { kind: 'delete'; seq: number }
  /** Set slow mode (0 = off); `auto` when the server turned it on near a busy deadline. */
  | { kind: 'slowMode'; slowModeMs: number; auto: boolean }
  /** Pin a NOTIFICATION under the header. */
  | { kind: 'pin'; seq: number }
  /** Take the pinned notice down. */
  | { kind: 'unpin' };

/** What `moderate` did: `messages` is empty when the change changed nothing (already deleted, same value). */
/** The moderation part of a store (issue 11): `ChatStore.moderation`, one class per backend. */
export interface ModerationStore {
  /** One message by seq, or null when the room has none. Throws ROOM_NOT_FOUND. */
  message(productId: string, seq: number): Promise<ChatMessage | null>;
  /**
   * Applies a moderation change (planModeration) and writes its SYSTEM message in one transaction under the
   * room lock; a delete erases the content from storage. Throws ROOM_NOT_FOUND, NOT_FOUND, INVALID_INPUT.
   */
  moderate(productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult>;
  /** Mutes `userId` in the room until `untilMs` (epoch ms), or lifts the mute (null). Throws ROOM_NOT_FOUND. */
  setMute(productId: string, userId: string, untilMs: number | null): Promise<void>;
  /** When the user's mute in the room ends (epoch ms), or null when none was set (it may have passed). */
  muteUntil(productId: string, userId: string): Promise<number | null>;
  /** Stores a report (a second report of one message by one user replaces the reason). Throws ROOM_NOT_FOUND. */
  addReport(productId: string, report: NewReport, nowMs: number): Promise<MessageReport>;
  /** The room's reports, by seq then time. */
  reports(productId: string): Promise<MessageReport[]>;
}

export interface ModerationResult extends LifecycleResult {
  /** The message concerned after the change (the tombstone, the pinned notice), or null. */
  target: ChatMessage | null;
}

/** A report to store. */
export interface NewReport {
  /** The reported message's seq. */
  seq: number;
  /** Who reports it. */
  reporterId: string;
  /** Why (already validated). */
  reason: string;
}

/** What a store must do for a change: the room columns to set, the message to erase, the event to write. */
export interface ModerationPlan {
  /** New `slow_mode_ms`, when it changes. */
  slowModeMs?: number;
  /** New `pinned` JSON (null to clear), when it changes. */
  pinned?: string | null;
  /** The seq whose content to erase. */
  erase?: number;
  /** The SYSTEM event to write. */
  event: SystemEvent;
}

/** Whether a change needs the target message read first (under the room lock). */
export function targetSeq(change: ModerationChange): number | null {
  return change.kind === 'delete' || change.kind === 'pin' ? change.seq : null;
}

/**
 * The plan for `change` on `row`, given the target message (null when the room has no such seq); null when
 * nothing changes. Throws NOT_FOUND for a missing target and INVALID_INPUT for pinning anything but a live NOTIFICATION.
 */
export function planModeration(row: RoomRow, change: ModerationChange, target: ChatMessage | null): ModerationPlan | null {
  switch (change.kind) {
    case 'delete':
      if (!target) throw new ChatError('NOT_FOUND', `There is no message ${change.seq} in this room.`);
      if (target.type === 'SYSTEM') throw new ChatError('INVALID_INPUT', 'Room events cannot be deleted.');
      if (target.deleted) return null;
      return {
        erase: change.seq,
        event: { type: 'MESSAGE_DELETED', targetSeq: change.seq },
        // A deleted pinned notice is taken down with it: no erased text stays on display.
        ...(pinnedSeq(row) === change.seq ? { pinned: null } : {}),
      };
    case 'slowMode':
      if ((row.slow_mode_ms ?? 0) === change.slowModeMs) return null;
      return {
        slowModeMs: change.slowModeMs,
        event: { type: 'SLOW_MODE_CHANGED', slowModeMs: change.slowModeMs, ...(change.auto ? { auto: true } : {}) },
      };
    case 'pin': {
      if (!target) throw new ChatError('NOT_FOUND', `There is no message ${change.seq} in this room.`);
      if (target.type !== 'NOTIFICATION' || target.deleted) {
        throw new ChatError('INVALID_INPUT', 'Only a notice (NOTIFICATION) can be pinned.');
      }
      if (pinnedSeq(row) === change.seq) return null;
      return { pinned: JSON.stringify(target), event: { type: 'PINNED', targetSeq: change.seq, pinned: target } };
    }
    case 'unpin':
      if (row.pinned === undefined || row.pinned === null) return null;
      return { pinned: null, event: { type: 'UNPINNED' } };
  }
}

/** The seq of the room's pinned notice, or null. */
function pinnedSeq(row: RoomRow): number | null {
  if (row.pinned === undefined || row.pinned === null) return null;
  return (JSON.parse(row.pinned) as ChatMessage).seq;
}

/** The snapshot a moderation SYSTEM message carries: the room as it is (moderation changes no count). */
export function snapshotOf(row: RoomRow): RoomSnapshot {
  return { status: row.status, participantCount: row.participant_count, maxParticipants: row.max_participants };
}

/** The wire form of a `reports` row. */
export function toReport(row: { seq: number; reporter_id: string; reason: string; created_at: number }): MessageReport {
  return {
    seq: row.seq,
    reporterId: row.reporter_id,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
