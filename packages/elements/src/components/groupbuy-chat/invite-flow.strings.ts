import type { Lang } from '../../internal/i18n.js';

/**
 * The words shown after the invite button was pressed (issue 12). They live beside invite-flow.ts, in its
 * lazily loaded chunk (the button comes with it, once the chat is ready), rather than in internal/i18n.ts.
 */
export interface InviteFlowStrings {
  /** The header button that shares or copies the invite link. */
  invite: string;
  /** Said (politely) once the invite link is on the clipboard. */
  linkCopied: string;
  /** The label of the field showing the invite link when the clipboard was refused. */
  copyLinkByHand: string;
}

const ko: InviteFlowStrings = { invite: '친구 초대', linkCopied: '링크를 복사했어요', copyLinkByHand: '링크를 복사해 주세요' };

const en: InviteFlowStrings = { invite: 'Invite friends', linkCopied: 'Link copied', copyLinkByHand: 'Copy this link' };

/** The invite flow's strings in `lang`. */
export function inviteFlowStrings(lang: Lang): InviteFlowStrings {
  return lang === 'ko' ? ko : en;
}
