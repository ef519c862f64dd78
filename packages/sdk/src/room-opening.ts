import { ROOM_ENDING_CODES, toChatError, type ErrorInfo, type Room } from '@groupbuy/protocol';
import type { CatchUp } from './catch-up.js';
import type { RoomRest } from './room-rest.js';
import type { Roster } from './roster.js';
import type { Sends } from './sends.js';

/** What a session's REST reads fill in, and how it takes what they bring. */
export interface OpeningParts {
  readonly api: RoomRest;
  readonly roster: Roster;
  readonly catchUp: CatchUp;
  readonly sends: Sends;
  /** True once the session was disposed: a late answer is dropped. */
  disposed(): boolean;
  /** Takes the room (unless the stream already brought a newer one). */
  applyRoom(room: Room | undefined): void;
  /** The list changed: `messages` once this microtask. */
  messagesChanged(): void;
  /** Reports an error (`error` event). */
  fail(error: ErrorInfo): void;
}

/**
 * Opens a room: one request (`GET …/view`: the room, the latest page, the buyers; one round trip and one
 * CORS preflight) fills the room, the buyer list as of the room's lastSeq, and the message list. A refusal
 * is reported and thrown; one that ends the room for this user (a watcher of a deal that ended, no such
 * room) also fails what waits to be sent, restored from an earlier page included, instead of it waiting for ever.
 */
export async function openRoom(parts: OpeningParts): Promise<void> {
  try {
    const view = await parts.api.view();
    if (parts.disposed()) return;
    parts.applyRoom(view.room);
    parts.roster.read(view.participants, view.room.lastSeq);
    parts.catchUp.startFrom(view.history);
    parts.sends.pruneDelivered();
    parts.messagesChanged();
  } catch (err) {
    const error = toChatError(err);
    const info = error.toInfo();
    parts.fail(info);
    if (ROOM_ENDING_CODES.has(error.code)) parts.sends.refuseWaiting(info);
    throw error;
  }
}

/**
 * Re-reads the room and its buyers after a reconnect (the messages come from the resubscription's replay).
 * A failure is only reported by the REST call: the stream's SYSTEM messages keep the room right meanwhile.
 */
export async function refreshRoom(parts: OpeningParts): Promise<void> {
  try {
    const [room] = await Promise.all([parts.api.room(), parts.roster.refreshParticipants()]);
    parts.applyRoom(room);
  } catch {
    // Reported by call().
  }
}
