import type { RoomStatus } from './room.js';
import { ALLOWED, notActive, refuse, type Decision, type RoomRelation } from './rules.js';

// Shipping addresses (issue 11): buyers give them to the seller only. A module of its own, so a widget
// that never shows the address parts does not carry this rule in its first download.

/**
 * Who may do what with the room's shipping addresses: `save` (PUT …/participants/me/address) a buyer in the
 * deal (FORBIDDEN otherwise; the seller and the service give no address) while the room is ACTIVE or CLOSED
 * (ROOM_NOT_ACTIVE once cancelled: nothing will ship); `list` (GET …/addresses) the seller and the service
 * only, in every status (FORBIDDEN for anyone else, the buyers included). Reading or deleting one's own
 * address needs no rule beyond signing in: it is theirs.
 */
export function decideAddress(action: 'save' | 'list', relation: RoomRelation, isParticipant: boolean, status: RoomStatus): Decision {
  if (relation === 'anonymous') return refuse('UNAUTHENTICATED', 'Sign in to manage shipping addresses.');
  if (action === 'list') {
    return relation === 'service' || relation === 'host'
      ? ALLOWED
      : refuse('FORBIDDEN', "Only the seller can see the buyers' shipping addresses.");
  }
  if (!isParticipant) return refuse('FORBIDDEN', 'Only a buyer in this deal can give a shipping address.');
  return status === 'CANCELLED' ? notActive(status, 'giving a shipping address') : ALLOWED;
}
