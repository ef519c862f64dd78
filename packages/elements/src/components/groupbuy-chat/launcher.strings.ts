import type { Lang } from '../../internal/i18n.js';

// The words of the floating launcher (issue 12). They live beside launcher.ts, in its lazily loaded chunk,
// rather than in internal/i18n.ts (and its Korean chunk), which every chat downloads before its first render.

/** Every string of the launcher, as functions of what they show. */
export interface LauncherStrings {
  /** The launcher's name while the chat is closed. */
  open: string;
  /** The panel's close button (and the launcher's name while open). */
  close: string;
  /** The unread badge, for screen readers (`n` > 0, formatted). */
  unread(n: string): string;
}

const en: LauncherStrings = {
  open: 'Open chat',
  close: 'Close chat',
  unread: (n) => `${n} unread message${n === '1' ? '' : 's'}`,
};

const ko: LauncherStrings = {
  open: '채팅 열기',
  close: '채팅 닫기',
  unread: (n) => `읽지 않은 메시지 ${n}개`,
};

/** The launcher's strings in `lang`. */
export function launcherStrings(lang: Lang): LauncherStrings {
  return lang === 'ko' ? ko : en;
}
