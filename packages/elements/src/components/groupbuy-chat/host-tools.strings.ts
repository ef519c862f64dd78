import type { Lang } from '../../internal/i18n.js';

/**
 * The words of the message menu, the report form and the host's controls (issue 11). They live beside
 * host-tools.ts, in its lazily loaded chunk, rather than in internal/i18n.ts: a reader who never opens a
 * menu never downloads them.
 */
export interface HostToolsStrings {
  delete: string;
  pin: string;
  /** The three mute lengths, in the order of `MUTE_MS`. */
  mute: readonly [string, string, string];
  report: string;
  reportLabel: string;
  reportSend: string;
  cancel: string;
  reported: string;
  slowModeLabel: string;
  slowModeOff: string;
  slowModeEvery(seconds: string): string;
  /** The seller's reports button: how many reports the room has. */
  reports(count: number, formatted: string): string;
  reportsEmpty: string;
  /** One report: the message's number and the reporter. */
  reportOf(seq: string, reporter: string): string;
  deleteReported: string;
}

const ko: HostToolsStrings = {
  delete: '삭제',
  pin: '공지 고정',
  mute: ['10분 채팅 제한', '1시간 채팅 제한', '24시간 채팅 제한'],
  report: '신고',
  reportLabel: '신고 사유',
  reportSend: '신고하기',
  cancel: '취소',
  reported: '신고가 접수됐어요',
  slowModeLabel: '슬로우 모드',
  slowModeOff: '끄기',
  slowModeEvery: (s) => `${s}초마다 1개`,
  reports: (_n, f) => `신고 ${f}건`,
  reportsEmpty: '접수된 신고가 없어요',
  reportOf: (seq, who) => `메시지 #${seq} · ${who}`,
  deleteReported: '메시지 삭제',
};

const en: HostToolsStrings = {
  delete: 'Delete',
  pin: 'Pin notice',
  mute: ['Mute for 10 min', 'Mute for 1 h', 'Mute for 24 h'],
  report: 'Report',
  reportLabel: 'Why are you reporting this message?',
  reportSend: 'Report',
  cancel: 'Cancel',
  reported: 'Thanks, the report was sent',
  slowModeLabel: 'Slow mode',
  slowModeOff: 'Off',
  slowModeEvery: (s) => `1 message every ${s} s`,
  reports: (n, f) => (n === 1 ? '1 report' : `${f} reports`),
  reportsEmpty: 'No reports so far',
  reportOf: (seq, who) => `Message #${seq} · ${who}`,
  deleteReported: 'Delete message',
};

/** The menu's strings in `lang`. */
export function hostToolsStrings(lang: Lang): HostToolsStrings {
  return lang === 'ko' ? ko : en;
}
