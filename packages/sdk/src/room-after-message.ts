import type { ChatMessage, Room } from '@groupbuy/protocol';
import { applyModeration } from './moderation.js';

/**
 * The room after a live message, or null when the message is not newer than the room. Any message moves
 * `lastSeq`; a SYSTEM message that carries the room's snapshot (a join, a leave, a status or moderation
 * change) also brings its status, counts and moderation, and `closedAt` is set when the deal ends.
 * `snapshot` says which of the two it was (only a snapshot is a change the session announces).
 */
export function roomAfterMessage(room: Room, message: ChatMessage): { room: Room; snapshot: boolean } | null {
  if (message.seq <= room.lastSeq) return null;
  const snapshot = message.type === 'SYSTEM' ? message.room : undefined;
  if (!snapshot) return { room: { ...room, lastSeq: message.seq }, snapshot: false };
  const closedAt = snapshot.status === 'ACTIVE' ? null : (room.closedAt ?? message.createdAt);
  return { room: applyModeration({ ...room, ...snapshot, closedAt, lastSeq: message.seq }, message), snapshot: true };
}
