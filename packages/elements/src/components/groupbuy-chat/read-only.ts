import { readOnlyReason, roomRelation, type ReadOnlyKey, type Room } from '@groupbuy/protocol';
import type { RoomController } from '../../internal/room-controller.js';

/** The i18n key of why the composer is read-only: a room rule's reason, or the refused sign-in. */
export type ComposerLockKey = ReadOnlyKey | 'authRequired';

/**
 * Why the reader may not write in the chat now, as the key of the sentence shown in place of the
 * composer's hint, or null when they may. Who may post in which status is the protocol's rule
 * (`readOnlyReason` in `@groupbuy/protocol`, the one the server enforces); the widget adds only what is
 * about the connection: a refused token. `feedRoom` is the public feed's snapshot, for a reader the chat
 * does not let in.
 */
export function composerLock(ctl: RoomController, feedRoom: Room | null): ComposerLockKey | null {
  if (ctl.phase === 'signed-out') return readOnlyReason('anonymous', feedRoom?.status ?? 'ACTIVE')?.key ?? null;
  if (ctl.state === 'auth-required') return 'authRequired';
  // Until the public feed says how the deal ended, it counts as closed.
  if (ctl.closedToReader) {
    return readOnlyReason('signed-in', feedRoom?.status ?? 'CLOSED')?.key ?? 'readOnlyClosed';
  }
  const room = ctl.room;
  const session = ctl.session;
  if (!room || !session) return null;
  const user = ctl.client?.user;
  const principal = { userId: user?.userId ?? '', role: user?.role === 'service' ? ('service' as const) : ('user' as const) };
  return readOnlyReason(roomRelation(principal, room, session.isParticipant), room.status)?.key ?? null;
}
