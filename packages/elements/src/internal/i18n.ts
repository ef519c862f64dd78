import type { ErrorCode, RoomStatus, SystemEvent, RoomSnapshot } from '@groupbuy/protocol';

/** The languages the widgets speak. Anything else falls back to English. */
export type Lang = 'ko' | 'en';

/** Every user-visible string of the widgets, as functions of what they show. */
export interface Strings {
  status: Record<RoomStatus, string>;
  endingSoon: string;
  timeLeft(duration: string): string;
  deadlinePassed: string;
  endedAt(date: string): string;
  progressLabel: string;
  progressValue(count: string, max: string): string;
  moreToClose(n: string): string;
  moreNeeded(n: string): string;
  dealOn: string;
  dealCancelled: string;
  join: string;
  joining: string;
  leave: string;
  leaving: string;
  joined: string;
  participantsButton(count: string): string;
  watchersButton(count: string): string;
  participantsTitle: string;
  messagesLabel: string;
  loading: string;
  loadingOlder: string;
  startOfChat: string;
  emptyChat: string;
  newMessages(n: string): string;
  /** Issue 12: the floating launcher's name while the chat is closed. */
  launcherOpen: string;
  /** Issue 12: the launcher panel's close button (and the launcher's name while open). */
  launcherClose: string;
  /** Issue 12: the launcher's unread badge, for screen readers (`n` > 0). */
  unread(n: string): string;
  you: string;
  seller: string;
  notice: string;
  sending: string;
  failed: string;
  retry: string;
  discard: string;
  inputLabel: string;
  placeholder: string;
  send: string;
  /** Issue 12: the composer's attach button. */
  attach: string;
  /** Issue 12: a message's photo without alt text, before its number. */
  photo: string;
  composerHint: string;
  /** The composer hint on a touch screen, where there is no Shift+Enter. */
  composerHintTouch: string;
  tooLong(count: string, max: string): string;
  /** Said once to screen readers when the draft goes over the limit. */
  tooLongAlert(max: string): string;
  signedOut: string;
  chatTitle: string;
  signedOutInvite: string;
  readOnlyCancelled: string;
  readOnlyClosed: string;
  /** A watcher opening a deal that closed: what they may still see, and why not the chat. */
  closedForWatchers: string;
  /** The sign-in expired or was refused, and no fresh token is to be had. */
  authRequired: string;
  /** Under {@link Strings.authRequired}: what to do. */
  authRequiredHint: string;
  /** Above a signed-out visitor's sign-in prompt, when the seller posted notices. */
  publicNotices: string;
  rateLimited(seconds: string): string;
  reconnecting: string;
  offline: string;
  dismiss: string;
  tryAgain: string;
  error(code: ErrorCode): string;
  system(event: SystemEvent, room: RoomSnapshot, count: string, max: string): string;
  buyersCount(count: string, max: string): string;
  noBuyers: string;
  joinedAt(time: string): string;
  watchersTitle: string;
  watchersCount(count: string): string;
  /** After the listed watchers of a large room: how many more watch (the server lists the first 50). */
  watchersMore(count: string): string;
  /** Issue 12: who else is typing: one or two `names`, and with three or more the first two and how many `others`. */
  typing(names: readonly string[], others: string): string;
  /** Issue 11: what a deleted message's bubble says (its content is gone). */
  deleted: string;
}

const en: Strings = {
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
  participantsTitle: 'Buyers',
  messagesLabel: 'Chat messages',
  loading: 'Loading the chat…',
  loadingOlder: 'Loading earlier messages…',
  startOfChat: 'This is the start of the chat',
  emptyChat: 'No messages yet. Say hello!',
  newMessages: (n) => `${n} new message${n === '1' ? '' : 's'}`,
  launcherOpen: 'Open chat',
  launcherClose: 'Close chat',
  unread: (n) => `${n} unread message${n === '1' ? '' : 's'}`,
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
  buyersCount: (c, m) => `${c}/${m}`,
  noBuyers: 'No buyers yet. Be the first to join!',
  joinedAt: (t) => `joined ${t}`,
  watchersTitle: 'Watching now',
  watchersCount: (c) => c,
  watchersMore: (c) => `and ${c} more`,
  typing: (names, others) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : `${names[0]}, ${names[1]} and ${others} more are typing…`,
  deleted: 'This message was deleted',
};

const loaded: { [L in Lang]?: Strings } = { en };
let loadingKo: Promise<void> | null = null;

/** The strings of `lang`, or English while they have not been loaded ({@link loadStrings}). */
export function stringsFor(lang: Lang): Strings {
  return loaded[lang] ?? en;
}

/**
 * Loads the strings of `lang` (English is built in; Korean is a chunk): null when they are already here,
 * else a promise that settles once they are, or once loading failed (then {@link stringsFor} keeps
 * answering English, and the next call tries again). It never rejects.
 */
export function loadStrings(lang: Lang): Promise<void> | null {
  if (loaded[lang]) return null;
  return (loadingKo ??= import('./i18n-ko.js').then(
    (m) => {
      loaded.ko = m.ko;
    },
    () => {
      loadingKo = null;
    },
  ));
}

/** `ko` for any Korean tag (`ko`, `ko-KR`), else `en`. */
export function toLang(tag: string | null | undefined): Lang {
  return tag && /^ko\b/i.test(tag) ? 'ko' : 'en';
}

/**
 * Cached Intl formatters for one locale: dates, times, numbers and durations. Each is made on first use: the
 * first Intl object of a page initialises the browser's locale data (40–60 ms in headless Chromium), which a
 * chat that is still loading should not pay before its first requests have gone out.
 */
export class Formats {
  readonly lang: Lang;
  private made: {
    number?: Intl.NumberFormat;
    time?: Intl.DateTimeFormat;
    day?: Intl.DateTimeFormat;
    dateTime?: Intl.DateTimeFormat;
    units: Partial<Record<'day' | 'hour' | 'minute' | 'second', Intl.NumberFormat>>;
  } = { units: {} };

  constructor(private readonly locale: string) {
    this.lang = toLang(locale);
  }

  private get number(): Intl.NumberFormat {
    return (this.made.number ??= new Intl.NumberFormat(this.locale));
  }

  private get time(): Intl.DateTimeFormat {
    return (this.made.time ??= new Intl.DateTimeFormat(this.locale, { hour: 'numeric', minute: '2-digit' }));
  }

  private get day(): Intl.DateTimeFormat {
    return (this.made.day ??= new Intl.DateTimeFormat(this.locale, { dateStyle: 'full' }));
  }

  private get dateTime(): Intl.DateTimeFormat {
    return (this.made.dateTime ??= new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }));
  }

  private unit(u: 'day' | 'hour' | 'minute' | 'second'): Intl.NumberFormat {
    return (this.made.units[u] ??= new Intl.NumberFormat(this.locale, { style: 'unit', unit: u, unitDisplay: 'narrow' }));
  }

  /** A count, grouped the locale's way (1,000). */
  count(n: number): string {
    return this.number.format(n);
  }

  /** A message's clock time (`오후 3:12`, `3:12 PM`). */
  clock(iso: string): string {
    return this.time.format(new Date(iso));
  }

  /** A day heading (`2025년 11월 24일 월요일`). */
  dayHeading(iso: string): string {
    return this.day.format(new Date(iso));
  }

  /** Date and time (`2025. 11. 24. 오후 3:12`). */
  dateAndTime(iso: string): string {
    return this.dateTime.format(new Date(iso));
  }

  /**
   * A remaining time in the two largest units (`2시간 13분`, `2h 13m`; under an hour minutes and
   * seconds), so a countdown ticks visibly near the deadline.
   */
  duration(ms: number): string {
    const total = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(total / 86_400);
    const h = Math.floor((total % 86_400) / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const parts: string[] = [];
    if (d > 0) parts.push(this.unit('day').format(d), this.unit('hour').format(h));
    else if (h > 0) parts.push(this.unit('hour').format(h), this.unit('minute').format(m));
    else if (m > 0) parts.push(this.unit('minute').format(m), this.unit('second').format(s));
    else parts.push(this.unit('second').format(s));
    return parts.join(' ');
  }
}

const cache = new Map<string, Formats>();

/** Formatters for `locale`, shared by every widget on the page. */
export function formatsFor(locale: string): Formats {
  let f = cache.get(locale);
  if (!f) cache.set(locale, (f = new Formats(locale)));
  return f;
}
