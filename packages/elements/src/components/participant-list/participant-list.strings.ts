import type { Lang } from '../../internal/i18n.js';

// The words of <participant-list>. They live beside it, in its lazily loaded chunk, rather than in
// internal/i18n.ts (and its Korean chunk), which every chat downloads before its first render: a chat whose
// reader never opens the list never needs them.

/** Every string of `<participant-list>`, as functions of what they show. */
export interface ParticipantListStrings {
  /** The list's heading. */
  title: string;
  /** Buyers out of the cap, both already formatted. */
  buyersCount(count: string, max: string): string;
  noBuyers: string;
  /** When a buyer joined (`time`: their clock time). */
  joinedAt(time: string): string;
  watchersTitle: string;
  watchersCount(count: string): string;
  /** After the listed watchers of a large room: how many more watch (the server lists the first 50). */
  watchersMore(count: string): string;
}

const en: ParticipantListStrings = {
  title: 'Buyers',
  buyersCount: (c, m) => `${c}/${m}`,
  noBuyers: 'No buyers yet. Be the first to join!',
  joinedAt: (t) => `joined ${t}`,
  watchersTitle: 'Watching now',
  watchersCount: (c) => c,
  watchersMore: (c) => `and ${c} more`,
};

const ko: ParticipantListStrings = {
  title: '참여자',
  buyersCount: (c, m) => `${c}/${m}명`,
  noBuyers: '아직 참여자가 없어요. 첫 번째로 참여해 보세요!',
  joinedAt: (t) => `${t} 참여`,
  watchersTitle: '구경 중',
  watchersCount: (c) => `${c}명`,
  watchersMore: (c) => `외 ${c}명`,
};

/** The list's strings in `lang`. */
export function participantListStrings(lang: Lang): ParticipantListStrings {
  return lang === 'ko' ? ko : en;
}
