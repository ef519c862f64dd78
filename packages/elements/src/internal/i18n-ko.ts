import type { Strings } from './i18n.js';

/**
 * The Korean strings, a chunk of their own that internal/i18n.ts loads when a widget first speaks Korean:
 * a page in another language never downloads them.
 */
export const ko: Strings = {
  status: { ACTIVE: '모집 중', CLOSED: '마감', CANCELLED: '취소됨' },
  endingSoon: '마감 임박',
  timeLeft: (d) => `${d} 남음`,
  deadlinePassed: '마감 처리 중…',
  endedAt: (d) => `${d} 종료`,
  progressLabel: '참여 현황',
  progressValue: (c, m) => `${c}/${m}명 참여`,
  moreToClose: (n) => `${n}명 더 모이면 마감`,
  moreNeeded: (n) => `성사까지 ${n}명`,
  dealOn: '공동구매 성사',
  dealCancelled: '모집 취소',
  join: '참여하기',
  joining: '참여하는 중…',
  leave: '참여 취소',
  leaving: '취소하는 중…',
  joined: '참여 완료',
  participantsButton: (c) => `참여자 ${c}명`,
  watchersButton: (c) => `구경 ${c}명`,
  participantsTitle: '참여자',
  messagesLabel: '채팅 메시지',
  loading: '대화를 불러오는 중…',
  loadingOlder: '이전 대화를 불러오는 중…',
  startOfChat: '대화의 시작이에요',
  emptyChat: '아직 대화가 없어요. 첫 메시지를 남겨 보세요!',
  newMessages: (n) => `새 메시지 ${n}개`,
  launcherOpen: '채팅 열기',
  launcherClose: '채팅 닫기',
  unread: (n) => `읽지 않은 메시지 ${n}개`,
  you: '나',
  seller: '판매자',
  notice: '공지',
  sending: '보내는 중',
  failed: '보내지 못했어요',
  retry: '다시 보내기',
  discard: '삭제',
  inputLabel: '메시지',
  placeholder: '메시지를 입력하세요',
  send: '보내기',
  attach: '사진 첨부',
  photo: '사진',
  composerHint: 'Enter로 보내기 · Shift+Enter로 줄바꿈',
  composerHintTouch: '보내기 버튼을 눌러 보내요',
  tooLong: (c, m) => `메시지가 너무 길어요 (${c}/${m}자)`,
  tooLongAlert: (m) => `메시지는 ${m}자까지 보낼 수 있어요.`,
  signedOut: '로그인하면 채팅에 참여할 수 있어요.',
  chatTitle: '공동구매 채팅',
  signedOutInvite: '판매자와 다른 구매자에게 궁금한 점을 물어보세요.',
  readOnlyCancelled: '취소된 공동구매예요. 채팅은 읽기 전용입니다.',
  readOnlyClosed: '마감된 공동구매예요. 참여자와 판매자만 대화할 수 있어요.',
  closedForWatchers: '마감된 공동구매예요. 채팅은 참여자와 판매자만 볼 수 있어요.',
  authRequired: '로그인이 만료됐어요',
  authRequiredHint: '다시 로그인하면 이어서 대화할 수 있어요. 보내지 못한 메시지는 그대로 남아 있어요.',
  publicNotices: '판매자 공지',
  rateLimited: (s) => `메시지를 너무 빨리 보내고 있어요. ${s}초 후에 다시 보내 주세요.`,
  reconnecting: '연결이 끊겼어요. 다시 연결하는 중…',
  offline: '오프라인 상태예요. 연결되면 메시지를 보낼게요.',
  dismiss: '닫기',
  tryAgain: '다시 시도',
  error: (code) =>
    ({
      MUTED: '판매자가 잠시 채팅을 제한했어요.',
      ROOM_FULL: '정원이 다 찼어요.',
      ROOM_NOT_ACTIVE: '지금은 참여하거나 메시지를 보낼 수 없어요.',
      ROOM_NOT_FOUND: '채팅방을 찾을 수 없어요.',
      NOT_FOUND: '채팅방을 찾을 수 없어요.',
      FORBIDDEN: '이 채팅방에 대한 권한이 없어요.',
      UNAUTHENTICATED: '로그인이 필요해요.',
      RATE_LIMITED: '메시지를 너무 빨리 보내고 있어요.',
      INVALID_INPUT: '보낼 수 없는 메시지예요.',
      PAYLOAD_TOO_LARGE: '메시지가 너무 길어요.',
      SLOW_CONSUMER: '연결이 느려서 끊겼어요. 다시 연결하는 중…',
      UNAVAILABLE: '채팅 서버에 연결할 수 없어요.',
      INTERNAL: '문제가 생겼어요. 잠시 후 다시 시도해 주세요.',
    })[code],
  system: (event, room, c, m) => {
    const name = event.name ?? '누군가';
    switch (event.type) {
      case 'JOINED':
        return event.invitedBy
          ? `${name}님이 ${event.invitedBy.name}님 초대로 참여했어요 (${c}/${m})`
          : `${name}님이 참여했어요 (${c}/${m})`;
      case 'LEFT':
        return `${name}님이 참여를 취소했어요 (${c}/${m})`;
      case 'CLOSED':
        if (event.reason === 'FILLED') return `${m}명이 모두 모여 공동구매가 마감됐어요 🎉`;
        if (event.reason === 'HOST') return `판매자가 ${c}명으로 공동구매를 마감했어요`;
        return `${c}명이 모여 공동구매가 성사됐어요 🎉`;
      case 'CANCELLED':
        return event.reason === 'DEADLINE'
          ? `마감 시간까지 인원이 모이지 않아 공동구매가 취소됐어요 (${c}/${m})`
          : '판매자가 공동구매를 취소했어요';
      default:
        return room.status;
    }
  },
  buyersCount: (c, m) => `${c}/${m}명`,
  noBuyers: '아직 참여자가 없어요. 첫 번째로 참여해 보세요!',
  joinedAt: (t) => `${t} 참여`,
  watchersTitle: '구경 중',
  watchersCount: (c) => `${c}명`,
  watchersMore: (c) => `외 ${c}명`,
  typing: (names, others) =>
    names.length === 1
      ? `${names[0]}님이 입력 중…`
      : names.length === 2
        ? `${names[0]}님, ${names[1]}님이 입력 중…`
        : `${names[0]}님, ${names[1]}님 외 ${others}명이 입력 중…`,
  deleted: '삭제된 메시지예요',
};
