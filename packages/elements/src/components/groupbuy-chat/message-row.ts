import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { ViewMessage } from '@groupbuy/sdk';
import type { Formats, Strings } from '../../internal/i18n.js';
import { alertIcon, noticeIcon } from '../../internal/icons.js';
import { hueOf, initialOf } from '../../internal/theme.styles.js';
import { linkify, noticeContent } from '../../internal/rich-text.js';
import { renderImages } from './image-grid.js';

/** Consecutive messages of one sender within this many ms share one avatar and name. */
const GROUP_MS = 5 * 60_000;
/** Consecutive messages of one sender within the same clock minute of this length show one time, on the last. */
const TIME_BUCKET_MS = 60_000;

/** What a message row needs from the chat: words, formats, who "you" and the seller are, and the row's actions. */
export interface RowContext {
  /** The strings of the current language. */
  readonly t: Strings;
  /** The formatters of the current locale. */
  readonly f: Formats;
  /** The seller's user id, when the room is known. */
  readonly hostId: string | null | undefined;
  /** True when `message` is the reader's own (a local copy, or sent by them). */
  isOwn(message: ViewMessage): boolean;
  /** Retry on a failed message. */
  retry(message: ViewMessage): void;
  /** Discard on a failed message. */
  discard(message: ViewMessage): void;
  /** Issue 12: the chat server's base URL, which a message's photo URLs are relative to. @default the page's origin */
  readonly baseUrl?: string | undefined;
  /** Issue 11: a stored message's menu button (and its menu while open), when the reader may act on it. */
  menu?(message: ViewMessage): unknown;
  /** Issue 11: the SYSTEM line of a moderation event (MESSAGE_DELETED …), or undefined for the others. */
  systemText?(message: ViewMessage): string | undefined;
}

/** Issue 11: the per-message menu a chat hands its list (moderation-menu.ts). */
export interface RowMenu {
  /** A stored message's menu button, and its menu while open (nothing when the reader has no action on it). */
  render(message: ViewMessage): unknown;
  /** Changes whenever a menu must render again (the list re-renders its rows then). */
  readonly version: number;
  /** The SYSTEM line of a moderation event, or undefined for the others. */
  systemText(message: ViewMessage): string | undefined;
}

/**
 * One entry of the message list: a day separator when `m` starts a new day, then a SYSTEM line, a
 * NOTIFICATION card or a CHAT row. `prev` and `next` decide the grouping (one avatar and name for a
 * burst) and where the burst's time goes.
 */
export function renderMessage(ctx: RowContext, m: ViewMessage, prev: ViewMessage | undefined, next?: ViewMessage): TemplateResult {
  const { t, f } = ctx;
  const day = f.dayHeading(m.createdAt);
  const newDay = !prev || f.dayHeading(prev.createdAt) !== day;
  const separator = newDay ? html`<div class="day" part="day"><span>${day}</span></div>` : nothing;
  if (m.type === 'SYSTEM') {
    const text =
      ctx.systemText?.(m) ??
      (m.event && m.room ? t.system(m.event, m.room, f.count(m.room.participantCount), f.count(m.room.maxParticipants)) : m.content);
    return html`${separator}<div class="row system" part="message message-system"><span class="system-text">${text}</span></div>`;
  }
  if (m.type === 'NOTIFICATION' && !m.deleted) {
    return html`${separator}<div class="row notification" part="message message-notification">
        <div class="notice-card" part="notice">
          <span class="notice-icon">${noticeIcon}</span>
          <div class="notice-body">
            <div class="notice-title">${t.notice}${m.sender ? html` · ${m.sender.name}` : nothing}</div>
            <div class="content">${noticeContent(m.content)}</div>
          </div>
          <time class="time" part="time" datetime=${m.createdAt}>${f.clock(m.createdAt)}</time>
          ${ctx.menu?.(m) ?? nothing}
        </div>
      </div>`;
  }
  return html`${separator}${renderChat(ctx, m, newDay ? undefined : prev, next)}`;
}

function renderChat(ctx: RowContext, m: ViewMessage, prev: ViewMessage | undefined, next: ViewMessage | undefined): TemplateResult {
  const { t, f } = ctx;
  const own = ctx.isOwn(m);
  const senderId = m.sender?.userId ?? '';
  const name = m.sender?.name ?? '';
  const grouped =
    prev !== undefined &&
    prev.type === 'CHAT' &&
    prev.sender?.userId === senderId &&
    Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
  const isSeller = senderId !== '' && senderId === ctx.hostId;
  const failed = m.status === 'failed';
  // Issue 11: a tombstone keeps its place, sender and time; its content is gone and nothing acts on it.
  const deleted = m.deleted === true;
  // Like the big chat apps: a burst of one sender within one clock minute shows its time once, on the
  // last message (the next one, when it is the same sender's in the same minute, carries it).
  const timeShown =
    next === undefined ||
    next.type !== 'CHAT' ||
    next.status === 'failed' ||
    (next.sender?.userId ?? '') !== senderId ||
    Math.floor(Date.parse(next.createdAt) / TIME_BUCKET_MS) !== Math.floor(Date.parse(m.createdAt) / TIME_BUCKET_MS);
  return html`<div
    class="row chat ${own ? 'own' : 'other'} ${grouped ? 'grouped' : ''} ${m.status} ${deleted ? 'deleted' : ''}"
    part="message message-chat ${own ? 'message-own' : ''} ${deleted ? 'message-deleted' : ''}"
  >
    ${
      own
        ? nothing
        : grouped
          ? html`<span class="avatar-space"></span>`
          : html`<span class="avatar" aria-hidden="true" style=${styleMap({ '--_hue': String(hueOf(senderId)) })}>${initialOf(name)}</span>`
    }
    <div class="stack">
      ${
        !own && !grouped
          ? html`<div class="sender" part="sender" aria-hidden="true">
            <span class="sender-name">${name}</span>${isSeller ? html`<span class="tag">${t.seller}</span>` : nothing}
          </div>`
          : nothing
      }
      ${renderImages(m, ctx.baseUrl ?? location.origin, t, f)}
      <div class="line">
        <!-- pre-wrap keeps the message's own line breaks, so nothing else may sit in the bubble's text -->
        <div class="bubble ${!deleted && !m.content && m.attachments?.length ? 'bare' : ''}" part="bubble"><span class="sr-only">${own ? t.you : isSeller ? `${name} (${t.seller})` : name}: </span>${deleted ? t.deleted : linkify(m.content)}</div>
        <span class="meta">
          ${
            m.status === 'pending'
              ? html`<span class="spinner small" aria-hidden="true"></span><span class="sr-only">${t.sending}</span>`
              : failed || !timeShown
                ? nothing
                : html`<time class="time" part="time" datetime=${m.createdAt}>${f.clock(m.createdAt)}</time>`
          }
        </span>
        ${deleted ? nothing : (ctx.menu?.(m) ?? nothing)}
      </div>
      ${
        failed
          ? html`<div class="failed-row">
            ${alertIcon}<span>${t.failed}${m.error ? html` · ${t.error(m.error.code)}` : nothing}</span>
            <button class="link-button" part="retry-button" @click=${() => ctx.retry(m)}>${t.retry}</button>
            <button class="link-button muted" part="discard-button" @click=${() => ctx.discard(m)}>${t.discard}</button>
          </div>`
          : nothing
      }
    </div>
  </div>`;
}
