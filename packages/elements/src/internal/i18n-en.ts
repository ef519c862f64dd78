import type { Strings } from './i18n.js';

/**
 * The English strings, a chunk of their own like the Korean ones (i18n-ko.ts): a widget loads the one
 * language it speaks, so a page in Korean (most shops) does not download English as well.
 */
export const en: Strings = {
  status: { ACTIVE: 'Open', CLOSED: 'Closed', CANCELLED: 'Cancelled' },
  endingSoon: 'Ending soon',
  timeLeft: (d) => `${d} left`,
  deadlinePassed: 'Closing…',
  endedAt: (d) => `Ended ${d}`,
  progressLabel: 'Buyers joined',
  progressValue: (c, m) => `${c}/${m} joined`,
  moreToClose: (n) => `${n} more to close`,
  moreNeeded: (n) => `${n} more needed`,
  dealOn: 'Deal on!',
  dealCancelled: 'Deal cancelled',
  join: 'Join deal',
  joining: 'Joining…',
  leave: 'Leave',
  leaving: 'Leaving…',
  joined: 'Joined',
  participantsButton: (c) => `${c} buyer${c === '1' ? '' : 's'}`,
  watchersButton: (c) => `${c} watching`,
  messagesLabel: 'Chat messages',
  loading: 'Loading the chat…',
  loadingOlder: 'Loading earlier messages…',
  startOfChat: 'This is the start of the chat',
  emptyChat: 'No messages yet. Say hello!',
  newMessages: (n) => `${n} new message${n === '1' ? '' : 's'}`,
  you: 'You',
  seller: 'Seller',
  notice: 'Notice',
  sending: 'Sending',
  failed: 'Not sent',
  retry: 'Retry',
  discard: 'Discard',
  inputLabel: 'Message',
  placeholder: 'Write a message',
  send: 'Send',
  attach: 'Attach photos',
  photo: 'Photo',
  composerHint: 'Enter to send · Shift+Enter for a new line',
  composerHintTouch: 'Tap the send button to send',
  tooLong: (c, m) => `Message too long (${c}/${m} characters)`,
  tooLongAlert: (m) => `Messages can be at most ${m} characters.`,
  signedOut: 'Sign in to join the chat.',
  chatTitle: 'Group-buy chat',
  signedOutInvite: 'Ask the seller and the other buyers anything about this deal.',
  readOnlyCancelled: 'This deal was cancelled. The chat is read-only.',
  readOnlyClosed: 'This deal has closed. Only buyers and the seller can chat.',
  closedForWatchers: 'This deal has closed. Only its buyers and the seller can see the chat.',
  authRequired: 'Your sign-in has expired',
  authRequiredHint: 'Sign in again to keep chatting. Messages you wrote are kept until then.',
  publicNotices: "Seller's notices",
  rateLimited: (s) => `You're sending messages too fast. Try again in ${s} s.`,
  reconnecting: 'Connection lost. Reconnecting…',
  offline: "You're offline. Messages will be sent when you're back.",
  dismiss: 'Dismiss',
  tryAgain: 'Try again',
  error: (code) =>
    ({
      MUTED: 'The seller has muted you in this chat for a while.',
      ROOM_FULL: 'This deal is full.',
      ROOM_NOT_ACTIVE: 'This deal is not open for that any more.',
      ROOM_NOT_FOUND: 'This chat room does not exist.',
      NOT_FOUND: 'This chat room does not exist.',
      FORBIDDEN: "You don't have access to this chat.",
      UNAUTHENTICATED: 'Please sign in.',
      RATE_LIMITED: "You're sending messages too fast.",
      INVALID_INPUT: 'That message cannot be sent.',
      PAYLOAD_TOO_LARGE: 'That message is too long.',
      SLOW_CONSUMER: 'The connection fell behind and was reset. Reconnecting…',
      UNAVAILABLE: 'The chat server cannot be reached.',
      INTERNAL: 'Something went wrong. Please try again.',
    })[code],
  system: (event, room, c, m) => {
    const name = event.name ?? 'Someone';
    switch (event.type) {
      case 'JOINED':
        return event.invitedBy ? `${name} joined, invited by ${event.invitedBy.name} (${c}/${m})` : `${name} joined the deal (${c}/${m})`;
      case 'LEFT':
        return `${name} left the deal (${c}/${m})`;
      case 'CLOSED':
        if (event.reason === 'FILLED') return `All ${m} spots are taken — the deal is on! 🎉`;
        if (event.reason === 'HOST') return `The seller closed the deal with ${c} buyers`;
        return `The deal closed with ${c} buyers 🎉`;
      case 'CANCELLED':
        return event.reason === 'DEADLINE' ? `Cancelled: not enough buyers by the deadline (${c}/${m})` : 'The seller cancelled the deal';
      default:
        return room.status;
    }
  },
  typing: (names, others) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : `${names[0]}, ${names[1]} and ${others} more are typing…`,
  deleted: 'This message was deleted',
};
