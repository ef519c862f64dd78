import type { ChatMessage, Room } from '@groupbuy/protocol';

/**
 * The room after a moderation SYSTEM message (issue 11): SLOW_MODE_CHANGED sets `slowModeMs`, PINNED / UNPINNED
 * set `pinned`, and a MESSAGE_DELETED of the pinned notice takes it down; any other message leaves it as is.
 */
export function applyModeration(room: Room, message: ChatMessage): Room {
  const event = message.type === 'SYSTEM' ? message.event : undefined;
  switch (event?.type) {
    case 'SLOW_MODE_CHANGED':
      return { ...room, slowModeMs: event.slowModeMs ?? 0 };
    case 'PINNED':
      return event.pinned ? { ...room, pinned: event.pinned } : room;
    case 'UNPINNED':
      return { ...room, pinned: null };
    case 'MESSAGE_DELETED':
      return room.pinned && room.pinned.seq === event.targetSeq ? { ...room, pinned: null } : room;
    default:
      return room;
  }
}

/** The seq a MESSAGE_DELETED message erased, or null for any other message. */
export function deletedSeq(message: ChatMessage): number | null {
  return message.type === 'SYSTEM' && message.event?.type === 'MESSAGE_DELETED' ? (message.event.targetSeq ?? null) : null;
}
