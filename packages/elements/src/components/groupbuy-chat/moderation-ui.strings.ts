import type { SystemEvent } from '@groupbuy/protocol';
import type { Lang } from '../../internal/i18n.js';

/**
 * The words of issue 11's parts that the moderation chunk renders (the message menu button, mute and slow
 * mode in the composer, the pinned notice, the shipping-address entry and the PII hint). They live in the
 * chunk (moderation-ui.ts), not in internal/i18n.ts, so the initial widget does not carry them; only the
 * tombstone and the SYSTEM lines, which the list renders at once, are in i18n.ts.
 */
export interface ModerationStrings {
  /** Why the composer is disabled while the user is muted, until `time` (the locale's time). */
  mutedUntil(time: string): string;
  /** Slow mode is on, one message every `seconds`. */
  slowMode(seconds: string): string;
  /** The send button's slow-mode cooldown (`5초`). */
  cooldown(seconds: string): string;
  /** The pinned notice's heading (its button folds it). */
  pinned: string;
  /** The host's button that takes the pinned notice down. */
  unpin: string;
  /** The label of a message's menu button. */
  messageMenu: string;
  /** A buyer's button that opens the shipping-address form. */
  addressButton: string;
  /** The host's count of buyers who gave a shipping address. */
  addressCount(count: string): string;
  /** The host's download of every buyer's address as CSV. */
  addressCsv: string;
  /** The private hint after the PII guard masked a buyer's message (the address button follows it). */
  piiHint: string;
  /** The same hint for a signed-in watcher the join rule lets in (open, not full): only buyers give an address, so join first. */
  piiHintJoin: string;
  /** The same hint for anyone else (the seller, a watcher of an ended or full deal): what happened, nothing to do. */
  piiHintMasked: string;
  /** The SYSTEM line of a moderation event (MESSAGE_DELETED, SLOW_MODE_CHANGED, PINNED, UNPINNED), else undefined. */
  system(event: SystemEvent): string | undefined;
}

const ko: ModerationStrings = {
  mutedUntil: (t) => `${t}까지 채팅이 제한되었어요`,
  slowMode: (s) => `슬로우 모드: ${s}초마다 1개`,
  cooldown: (s) => `${s}초`,
  pinned: '고정된 공지',
  unpin: '고정 해제',
  messageMenu: '메시지 메뉴',
  addressButton: '배송지 입력',
  addressCount: (c) => `배송지 ${c}명 입력`,
  addressCsv: 'CSV 내려받기',
  piiHint: '전화번호·주소는 배송지 입력으로 보내 주세요',
  piiHintJoin: '전화번호·주소는 채팅에서 가려져요. 공동구매에 참여하면 배송지를 따로 입력할 수 있어요',
  piiHintMasked: '전화번호·주소는 채팅에서 가려져요',
  system: (event) => {
    switch (event.type) {
      case 'MESSAGE_DELETED':
        return '메시지가 삭제됐어요';
      case 'SLOW_MODE_CHANGED':
        if (!event.slowModeMs) return '슬로우 모드가 꺼졌어요';
        return `${event.auto ? '마감이 가까워 ' : ''}슬로우 모드가 켜졌어요 (${Math.round(event.slowModeMs / 1000)}초마다 1개)`;
      case 'PINNED':
        return '판매자가 공지를 고정했어요';
      case 'UNPINNED':
        return '고정된 공지가 내려갔어요';
      default:
        return undefined;
    }
  },
};

const en: ModerationStrings = {
  mutedUntil: (t) => `You can chat again at ${t}`,
  slowMode: (s) => `Slow mode: 1 message every ${s} s`,
  cooldown: (s) => `${s} s`,
  pinned: 'Pinned notice',
  unpin: 'Unpin',
  messageMenu: 'Message actions',
  addressButton: 'Add shipping address',
  addressCount: (c) => `${c} shipping address${c === '1' ? '' : 'es'}`,
  addressCsv: 'Download CSV',
  piiHint: 'Please send phone numbers and addresses with the shipping address form',
  piiHintJoin: 'Phone numbers and addresses are hidden in the chat. Join the deal to give your shipping address privately',
  piiHintMasked: 'Phone numbers and addresses are hidden in the chat',
  system: (event) => {
    switch (event.type) {
      case 'MESSAGE_DELETED':
        return 'A message was deleted';
      case 'SLOW_MODE_CHANGED':
        if (!event.slowModeMs) return 'Slow mode is off';
        return `${event.auto ? 'The deal is busy near its deadline: slow' : 'Slow'} mode is on (1 message every ${Math.round(event.slowModeMs / 1000)} s)`;
      case 'PINNED':
        return 'The seller pinned a notice';
      case 'UNPINNED':
        return 'The pinned notice was taken down';
      default:
        return undefined;
    }
  },
};

/** The moderation chunk's strings in `lang`. */
export function moderationStrings(lang: Lang): ModerationStrings {
  return lang === 'ko' ? ko : en;
}
