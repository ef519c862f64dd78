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
  messagesLabel: string;
  loading: string;
  loadingOlder: string;
  startOfChat: string;
  emptyChat: string;
  newMessages(n: string): string;
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
  /** Issue 12: who else is typing: one or two `names`, and with three or more the first two and how many `others`. */
  typing(names: readonly string[], others: string): string;
  /** Issue 11: what a deleted message's bubble says (its content is gone). */
  deleted: string;
}

/** While no language's strings could be loaded, how long before English is tried again, in ms. */
const RETRY_MS = 2000;

// Each language is a chunk: the widget downloads only the one it speaks (the initial download counts it).
const chunks: Record<Lang, () => Promise<Strings>> = {
  en: () => import('./i18n-en.js').then((m) => m.en),
  ko: () => import('./i18n-ko.js').then((m) => m.ko),
};
const loaded: { [L in Lang]?: Strings } = {};
const loading: { [L in Lang]?: Promise<void> } = {};

/**
 * The strings of `lang`, or English (then Korean) while they have not been loaded: call it after
 * {@link loadStrings} has settled (a widget's update waits for it), as until then there are none.
 */
export function stringsFor(lang: Lang): Strings {
  const strings = loaded[lang] ?? loaded.en ?? loaded.ko;
  if (!strings) throw new Error(`stringsFor('${lang}') before any strings were loaded (await loadStrings first)`);
  return strings;
}

/**
 * Loads the strings of `lang`: null when they are already here, else a promise that settles once they are.
 * When their chunk fails, it settles once English is here instead (the next call tries `lang` again), and
 * while no language could be loaded at all it keeps trying English every RETRY_MS: a widget shows nothing
 * rather than no words. It never rejects.
 */
export function loadStrings(lang: Lang): Promise<void> | null {
  if (loaded[lang]) return null;
  return (loading[lang] ??= chunks[lang]().then(
    (strings) => {
      loaded[lang] = strings;
    },
    async () => {
      loading[lang] = undefined;
      if (lang === 'en') await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      await loadStrings('en');
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
