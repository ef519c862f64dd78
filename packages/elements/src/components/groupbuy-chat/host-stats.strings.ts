import type { Lang } from '../../internal/i18n.js';

/**
 * The words of the seller's stats view (issue 12). They live beside host-stats.ts, in its lazily loaded
 * chunk, rather than in internal/i18n.ts: shoppers never open the view, so they never download them (the
 * "Stats" button comes with the chunk, fetched for the seller alone).
 */
export interface HostStatsStrings {
  /** The header button that opens the view. */
  button: string;
  /** The view's heading. */
  title: string;
  /** Asks for the numbers again. */
  refresh: string;
  loading: string;
  /** Before the error code's own sentence. */
  failed: string;
  /** When the numbers were read (`time`: the locale's clock time). */
  asOf(time: string): string;
  uniqueViewers: string;
  chatters: string;
  joiners: string;
  leavers: string;
  messagesPerMinute: string;
  medianViewToJoin: string;
  timeToFill: string;
  /** A time that has no value yet (nobody joined, the deal has not filled). */
  notYet: string;
  topInviters: string;
  /** One inviter's count of joins through their link. */
  inviterJoins(n: string): string;
  noInviters: string;
  /** The sparkline in words: participants `first` at the start, `last` now, `peak` at most, of the `max` cap. */
  sparkline(first: string, last: string, peak: string, max: string): string;
}

const ko: HostStatsStrings = {
  button: '통계',
  title: '공동구매 통계',
  refresh: '새로고침',
  loading: '통계를 불러오는 중…',
  failed: '통계를 불러오지 못했어요',
  asOf: (t) => `${t} 기준`,
  uniqueViewers: '방문자',
  chatters: '대화한 사람',
  joiners: '참여',
  leavers: '참여 취소',
  messagesPerMinute: '분당 메시지',
  medianViewToJoin: '방문→참여 (중앙값)',
  timeToFill: '마감까지 걸린 시간',
  notYet: '—',
  topInviters: '초대 순위',
  inviterJoins: (n) => `${n}명 참여`,
  noInviters: '아직 초대 링크로 참여한 사람이 없어요',
  sparkline: (first, last, peak, max) => `시간별 참여자 수: ${first}명에서 ${last}명으로, 최대 ${peak}명 (정원 ${max}명)`,
};

const en: HostStatsStrings = {
  button: 'Stats',
  title: 'Deal stats',
  refresh: 'Refresh',
  loading: 'Loading the numbers…',
  failed: 'Could not load the numbers',
  asOf: (t) => `As of ${t}`,
  uniqueViewers: 'Viewers',
  chatters: 'Chatters',
  joiners: 'Joins',
  leavers: 'Leaves',
  messagesPerMinute: 'Messages / min',
  medianViewToJoin: 'View → join (median)',
  timeToFill: 'Time to fill',
  notYet: '—',
  topInviters: 'Top inviters',
  inviterJoins: (n) => `${n} join${n === '1' ? '' : 's'}`,
  noInviters: 'Nobody has joined through an invite link yet',
  sparkline: (first, last, peak, max) => `Participants over time: from ${first} to ${last}, at most ${peak} (cap ${max})`,
};

/** The stats view's strings in `lang`. */
export function hostStatsStrings(lang: Lang): HostStatsStrings {
  return lang === 'ko' ? ko : en;
}
