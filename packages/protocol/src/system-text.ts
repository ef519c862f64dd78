import type { SystemEvent } from './message.js';
import type { RoomSnapshot } from './room.js';

/**
 * The plain-text fallback of a SYSTEM message, for clients that do not render `event` themselves.
 * The widget renders from `event` and `room` in the reader's language; this text is English.
 */
export function systemText(event: SystemEvent, room: RoomSnapshot): string {
  const count = `${room.participantCount}/${room.maxParticipants}`;
  switch (event.type) {
    case 'JOINED':
      return event.invitedBy
        ? `${event.name ?? 'Someone'} joined the deal, invited by ${event.invitedBy.name} (${count}).`
        : `${event.name ?? 'Someone'} joined the deal (${count}).`;
    case 'LEFT':
      return `${event.name ?? 'Someone'} left the deal (${count}).`;
    case 'CLOSED':
      return event.reason === 'FILLED'
        ? `The deal is full (${count}) and closed. Buyers and the seller can keep chatting.`
        : `The deal closed with ${count} buyers. Buyers and the seller can keep chatting.`;
    case 'CANCELLED':
      return event.reason === 'DEADLINE'
        ? `The deal was cancelled: not enough buyers by the deadline (${count}).`
        : 'The deal was cancelled by the seller.';
    case 'MESSAGE_DELETED':
      return 'A message was deleted.';
    case 'SLOW_MODE_CHANGED':
      if (!event.slowModeMs) return 'Slow mode is off.';
      return `${event.auto ? 'The deal is busy near its deadline: slow' : 'Slow'} mode is on (one message every ${Math.round(event.slowModeMs / 1000)} s).`;
    case 'PINNED':
      return 'The seller pinned a notice.';
    case 'UNPINNED':
      return 'The pinned notice was taken down.';
  }
}
