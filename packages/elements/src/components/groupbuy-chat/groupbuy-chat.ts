import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LIMITS, toChatError, type ErrorInfo, type Room } from '@groupbuy/protocol';
import type { ConnectionState, ViewMessage } from '@groupbuy/sdk';
import { GroupbuyAuthRequiredEvent } from '../../events/groupbuy-auth-required-event.js';
import { GroupbuyErrorEvent } from '../../events/groupbuy-error-event.js';
import { GroupbuyJoinEvent } from '../../events/groupbuy-join-event.js';
import { GroupbuyLeaveEvent } from '../../events/groupbuy-leave-event.js';
import { GroupbuyRoomChangeEvent } from '../../events/groupbuy-room-change-event.js';
import { GroupbuySendEvent } from '../../events/groupbuy-send-event.js';
import { countdown } from '../../internal/countdown.js';
import type { Formats, Strings } from '../../internal/i18n.js';
import {
  alertIcon,
  arrowDownIcon,
  chatIcon,
  chevronIcon,
  clockIcon,
  closeIcon,
  noticeIcon,
  offlineIcon,
  peopleIcon,
  sendIcon,
} from '../../internal/icons.js';
import { LocaleController } from '../../internal/locale-controller.js';
import { PublicFeedController } from '../../internal/public-feed.js';
import { RoomController } from '../../internal/room-controller.js';
import { RoomElement } from '../../internal/room-element.js';
import { hueOf, initialOf } from '../../internal/theme.styles.js';
import { styles } from './groupbuy-chat.styles.js';

/** Within this many px of the bottom the list counts as "at the bottom" and follows new messages. */
const STICK_PX = 48;
/** Within this many px of the top, older history is loaded. */
const OLDER_PX = 80;
/** Consecutive messages of one sender within this many ms share one avatar and name. */
const GROUP_MS = 5 * 60_000;
/** Consecutive messages of one sender within the same clock minute of this length show one time, on the last. */
const TIME_BUCKET_MS = 60_000;
/** How long a dismissible error stays, in ms. */
const NOTICE_MS = 8000;
/** Under this many ms left, the countdown turns urgent. */
const URGENT_MS = 3_600_000;

/**
 * The group-buy chat of one product: header with the deal's status, live countdown and progress, the
 * Join / Leave button, the message list and the composer.
 *
 * Hand it a `client` (a `ChatClient` from `@groupbuy/sdk`), or a `token` / `tokenProvider` plus
 * `base-url` and it builds one itself with the transport named by `transport` (loaded on demand).
 *
 * @summary Group-buy chat for a product page.
 * @tagname groupbuy-chat

 *
 * A signed-out visitor (no token, no client) sees the deal's header and the seller's notices from the
 * room's public feed, above the `signed-out` slot. When the server refuses the token and no fresh one is
 * to be had, the widget shows "sign in again", stops reconnecting and fires `groupbuy-auth-required`;
 * setting a new `token` (or `tokenProvider`) reconnects at once.
 *
 * @slot empty - Shown when the room has no messages yet.
 * @slot signed-out - Shown in the message area when there is no token or client (e.g. a sign-in button).
 * @slot auth-required - Shown under "sign in again" when the server refused the token (e.g. a sign-in button).
 *
 * @event {GroupbuyRoomChangeEvent} groupbuy-room-change - The room snapshot changed (`event.room`).
 * @event {GroupbuyJoinEvent} groupbuy-join - The user joined the deal.
 * @event {GroupbuyLeaveEvent} groupbuy-leave - The user left the deal.
 * @event {GroupbuySendEvent} groupbuy-send - The user sent a message (`event.message`, pending).
 * @event {GroupbuyErrorEvent} groupbuy-error - Something failed that the user is shown (`event.error`).
 * @event {GroupbuyAuthRequiredEvent} groupbuy-auth-required - The token was refused and no fresh one came: sign the shopper in and set `token` again (`event.detail`: `{ productId, reason }`).
 *
 * @csspart header - The header: title, status, countdown, progress, Join button.
 * @csspart title - The product title.
 * @csspart status - The status badge (also `status-active`, `status-closed`, `status-cancelled`).
 * @csspart countdown - Time left (or when it ended).
 * @csspart progress - The progress bar (`role="progressbar"`).
 * @csspart progress-text - "7/10 joined · 3 more to close".
 * @csspart join-button - The Join / Leave button.
 * @csspart participants-button - Opens the list of buyers and watchers ("6 buyers · 3 watching").
 * @csspart participants-button-watchers - The "· 3 watching" in that button, shown while anyone watches.
 * @csspart participants-panel - The panel holding `<participant-list>`.
 * @csspart banner - Every banner (also `connection-banner`, `error-banner`, `auth-banner`).
 * @csspart messages - The message list (`role="log"`).
 * @csspart message - Every message row (also `message-chat`, `message-own`, `message-system`, `message-notification`).
 * @csspart bubble - A chat bubble.
 * @csspart sender - A sender's name above their bubbles.
 * @csspart time - A message's time.
 * @csspart notice - A notification card.
 * @csspart day - A day separator.
 * @csspart retry-button - Retry on a failed message.
 * @csspart discard-button - Discard on a failed message.
 * @csspart jump-button - "New messages" button shown while scrolled up.
 * @csspart composer - The composer row.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 * @csspart composer-hint - The line under the composer (hints, limits, why it is disabled).
 *
 * @cssproperty [--groupbuy-font-family=system-ui, -apple-system, BlinkMacSystemFont, 'Apple SD Gothic Neo', 'Pretendard', 'Noto Sans KR', 'Malgun Gothic', '맑은 고딕', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif] - Font stack.
 * @cssproperty [--groupbuy-font-size=15px] - Base font size.
 * @cssproperty [--groupbuy-height=600px] - Height of the widget (or set `height` on the element).
 * @cssproperty [--groupbuy-radius=16px] - Corner radius of the widget; bubbles and buttons scale from it.
 * @cssproperty [--groupbuy-bg=#ffffff] - Background.
 * @cssproperty [--groupbuy-surface=#f7f8fa] - Header and composer background.
 * @cssproperty [--groupbuy-text=#1b1d22] - Text colour.
 * @cssproperty [--groupbuy-muted=#5f6672] - Secondary text.
 * @cssproperty [--groupbuy-border=#e4e7ec] - Borders and dividers.
 * @cssproperty [--groupbuy-accent=#3b5bdb] - Buttons, progress, links.
 * @cssproperty [--groupbuy-accent-contrast=#ffffff] - Text on the accent.
 * @cssproperty [--groupbuy-accent-soft=#edf1ff] - Light accent background.
 * @cssproperty [--groupbuy-bubble=#f1f3f5] - Other people's bubbles.
 * @cssproperty [--groupbuy-bubble-text=var(--groupbuy-text)] - Text in other people's bubbles.
 * @cssproperty [--groupbuy-own-bubble=var(--groupbuy-accent)] - The reader's own bubbles.
 * @cssproperty [--groupbuy-own-bubble-text=var(--groupbuy-accent-contrast)] - Text in the reader's own bubbles.
 * @cssproperty [--groupbuy-danger=#b42318] - Errors and the cancelled badge.
 * @cssproperty [--groupbuy-danger-soft=#fdecec] - Background of errors and failed bubbles.
 * @cssproperty [--groupbuy-success=#0f7a3d] - The open badge and a filled bar.
 * @cssproperty [--groupbuy-success-soft=#e6f7ee] - Background of the open badge.
 * @cssproperty [--groupbuy-warning=#c2410c] - An urgent countdown, the connection banner.
 * @cssproperty [--groupbuy-warning-soft=#fff4e5] - Background of the connection banner.
 * @cssproperty [--groupbuy-notice-bg=#fff8e1] - Notification cards.
 * @cssproperty [--groupbuy-notice-border=#f2d27a] - Border of notification cards.
 * @cssproperty [--groupbuy-focus-ring=#3b5bdb] - Keyboard focus outline.
 */
export class GroupbuyChat extends RoomElement {
  static override styles = styles;

  @state() private draft = '';
  // What screen readers are told about the composer, set once when a state is entered: the visible hint
  // ticks every second (rate limit) or every keystroke (too long) and would be read again and again.
  @state() private announcement = '';
  @state() private panelOpen = false;
  @state() private busy: 'join' | 'leave' | null = null;
  @state() private notice: string | null = null;
  @state() private rateLimitUntil = 0;
  @state() private unseen = 0;
  @state() private atBottom = true;
  @state() private loadingOlder = false;

  @query('.log') private logEl!: HTMLElement | null;
  @query('textarea') private inputEl!: HTMLTextAreaElement | null;

  private readonly locale = new LocaleController(this);
  private readonly roomCtl = new RoomController(this, {
    room: (room) => this.emit(new GroupbuyRoomChangeEvent(room)),
    message: (m) => {
      if (!this.atBottom && !(m.sender && m.sender.userId === this.roomCtl.userId)) this.unseen += 1;
    },
    error: (e) => this.onSessionError(e),
    state: (s) => this.onState(s),
  });
  // The public feed runs while the chat itself will not let the reader in: signed out, or a watcher of a
  // deal that closed (the server answers FORBIDDEN to them).
  private readonly feed = new PublicFeedController(this, () => {
    const ctl = this.roomCtl;
    const shut = ctl.phase === 'signed-out' || (ctl.phase === 'error' && ctl.loadError?.code === 'FORBIDDEN');
    return shut && this.productId ? { baseUrl: this.baseUrl || location.origin, productId: this.productId } : null;
  });
  private authEpisode = false;
  private lastAuthReason: string | null = null;

  private renderedMessages: readonly ViewMessage[] | null = null;
  private followBottom = true;
  private scrollToEnd = false;
  private anchor: { height: number; top: number } | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private rateTimer: ReturnType<typeof setInterval> | undefined;
  private urgencyTimer: ReturnType<typeof setTimeout> | undefined;
  private urgencyFor: string | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.noticeTimer);
    clearInterval(this.rateTimer);
    clearTimeout(this.urgencyTimer);
    this.urgencyFor = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('productId') || changed.has('client') || changed.has('token')) {
      this.renderedMessages = null;
      this.unseen = 0;
    }
    // Measured before the DOM changes: a reader at the bottom keeps following; one scrolled up stays put.
    const el = this.logEl;
    this.followBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
  }

  protected override updated(): void {
    this.armUrgency();
    const messages = this.roomCtl.messages;
    const changed = messages !== this.renderedMessages;
    const first = this.renderedMessages === null;
    this.renderedMessages = messages;
    const el = this.logEl;
    if (!el) return;
    if (this.anchor && changed) {
      // Older history went in above: keep the message the reader was looking at where it was.
      el.scrollTop = el.scrollHeight - this.anchor.height + this.anchor.top;
      this.anchor = null;
    } else if (first || this.followBottom || this.scrollToEnd) {
      // Also when only the layout changed (a banner took room): a reader at the end stays at the end.
      el.scrollTop = el.scrollHeight;
      this.scrollToEnd = false;
      this.atBottom = true;
      this.unseen = 0;
    }
  }

  // The countdown ticks on its own without re-rendering the widget; the badge turns "ending soon" an hour
  // before the deadline, so render once more at that moment.
  private armUrgency(): void {
    const room = this.roomCtl.room;
    const key = room && room.status === 'ACTIVE' ? room.expiresAt : null;
    if (key === this.urgencyFor) return;
    this.urgencyFor = key;
    clearTimeout(this.urgencyTimer);
    if (!key) return;
    const offset = this.roomCtl.session?.serverTimeOffsetMs ?? 0;
    const inMs = Date.parse(key) - URGENT_MS - (Date.now() + offset);
    if (inMs > 0 && inMs < 2 ** 31 - 1) this.urgencyTimer = setTimeout(() => this.requestUpdate(), inMs + 50);
  }

  private get t(): Strings {
    return this.locale.t;
  }

  private get f(): Formats {
    return this.locale.format;
  }

  /** Why the composer is disabled, or null when the user may write. */
  private get readOnlyReason(): string | null {
    const ctl = this.roomCtl;
    if (ctl.phase === 'signed-out') return this.t.signedOut;
    if (ctl.state === 'auth-required') return this.t.authRequired;
    if (ctl.phase === 'error' && ctl.loadError?.code === 'FORBIDDEN') return this.t.readOnlyClosed;
    const room = ctl.room;
    const session = ctl.session;
    if (!room || !session) return null;
    if (room.status === 'CANCELLED') return this.t.readOnlyCancelled;
    if (room.status === 'CLOSED' && !session.isParticipant && !session.isHost) return this.t.readOnlyClosed;
    return null;
  }

  override render(): TemplateResult {
    const ctl = this.roomCtl;
    // Everything sits in one flex column of its own, so a page's `display` on the element (block, grid,
    // inline-block …) cannot pull the composer up into the middle of the card.
    return html`<div class="frame">
      ${this.renderHeader(ctl.room ?? this.feed.room)}
      <div class="banners" role="status">${this.renderConnectionBanner()}</div>
      ${this.notice
        ? html`<div class="banner error" part="banner error-banner" role="alert">
            ${alertIcon}<span class="banner-text">${this.notice}</span>
            <button class="icon-button" aria-label=${this.t.dismiss} @click=${this.dismissNotice}>${closeIcon}</button>
          </div>`
        : nothing}
      <div class="log-wrap">
        ${this.renderLog()}
        ${this.panelOpen && ctl.session
          ? html`<div id="participants-panel" class="panel" part="participants-panel" @keydown=${this.onPanelKeydown}>
              <participant-list
                .session=${ctl.session}
                .client=${ctl.client ?? undefined}
                product-id=${ctl.session.productId}
                lang=${this.locale.locale}
                theme=${this.theme ?? nothing}
              ></participant-list>
            </div>`
          : nothing}
        ${this.unseen > 0 && !this.atBottom
          ? html`<button class="jump" part="jump-button" @click=${this.jumpToLatest}>
              ${arrowDownIcon}${this.t.newMessages(this.f.count(this.unseen))}
            </button>`
          : nothing}
      </div>
      ${this.renderComposer()}
    </div>`;
  }

  private renderHeader(room: Room | null): TemplateResult {
    const { t, f } = this;
    const ctl = this.roomCtl;
    if (!room && (ctl.phase === 'signed-out' || ctl.phase === 'error')) {
      return html`<header class="header" part="header">
        <div class="title-row"><h2 class="title" part="title">${t.chatTitle}</h2></div>
      </header>`;
    }
    if (!room) {
      return html`<header class="header" part="header" aria-busy=${ctl.phase === 'loading' ? 'true' : 'false'}>
        <div class="skeleton title-skeleton"></div>
        <div class="skeleton meta-skeleton"></div>
        <div class="skeleton bar-skeleton"></div>
      </header>`;
    }
    const session = ctl.session;
    const { participantCount: count, maxParticipants: max, minParticipants: min, status } = room;
    const remainingMs = Date.parse(room.expiresAt) - (Date.now() + (session?.serverTimeOffsetMs ?? 0));
    const urgent = status === 'ACTIVE' && remainingMs < URGENT_MS;
    const pct = Math.min(100, Math.round((count / Math.max(max, 1)) * 100));
    const watching = ctl.watchers.length;
    let detail: string;
    if (status === 'CANCELLED') detail = t.dealCancelled;
    else if (status === 'CLOSED') detail = t.dealOn;
    else if (count < min && min < max) detail = t.moreNeeded(f.count(min - count));
    else detail = t.moreToClose(f.count(max - count));
    return html`<header class="header" part="header">
      <div class="title-row">
        <h2 class="title" part="title">${room.title}</h2>
        <span class="badge ${status.toLowerCase()} ${urgent ? 'urgent' : ''}" part="status status-${status.toLowerCase()}">
          ${urgent ? t.endingSoon : t.status[status]}
        </span>
      </div>
      <div class="meta-row">
        <span class="countdown ${urgent ? 'urgent' : ''}" part="countdown">
          ${clockIcon}
          ${status === 'ACTIVE'
            ? html`<time datetime=${room.expiresAt} title=${f.dateAndTime(room.expiresAt)}
                >${countdown(Date.parse(room.expiresAt), session?.serverTimeOffsetMs ?? 0, this.timeLeftFormat())}</time
              >`
            : html`<time datetime=${room.closedAt ?? room.expiresAt}>${t.endedAt(f.dateAndTime(room.closedAt ?? room.expiresAt))}</time>`}
        </span>
        ${session ? html`<button
          class="chip-button"
          part="participants-button"
          aria-expanded=${this.panelOpen ? 'true' : 'false'}
          aria-controls="participants-panel"
          @click=${this.togglePanel}
        >
          ${peopleIcon}<span>${t.participantsButton(f.count(count))}</span>
          ${watching > 0
            ? html`<span class="chip-watchers" part="participants-button-watchers"
                ><span aria-hidden="true">·</span> ${t.watchersButton(f.count(watching))}</span
              >`
            : nothing}
          <span class="chevron ${this.panelOpen ? 'open' : ''}">${chevronIcon}</span>
        </button>` : nothing}
      </div>
      <div class="progress-row">
        <div class="progress-block">
          <div
            class="progress ${status.toLowerCase()}"
            part="progress"
            role="progressbar"
            aria-label=${t.progressLabel}
            aria-valuemin="0"
            aria-valuemax=${max}
            aria-valuenow=${count}
            aria-valuetext=${t.progressValue(f.count(count), f.count(max))}
          >
            <div class="bar" style=${styleMap({ width: `${pct}%` })}></div>
            ${min < max && status === 'ACTIVE'
              ? html`<div class="min-mark" style=${styleMap({ left: `${(min / max) * 100}%` })}></div>`
              : nothing}
          </div>
          <div class="progress-text" part="progress-text">
            <strong>${t.progressValue(f.count(count), f.count(max))}</strong>
            <span aria-hidden="true">·</span>
            <span>${detail}</span>
          </div>
        </div>
        ${this.renderJoinButton(room)}
      </div>
    </header>`;
  }

  private timeLeftFormat(): (ms: number) => string {
    const { t, f } = this;
    const key = f.lang;
    if (this.cachedFormat?.key !== key) {
      this.cachedFormat = { key, fn: (ms) => (ms <= 0 ? t.deadlinePassed : t.timeLeft(f.duration(ms))) };
    }
    return this.cachedFormat.fn;
  }
  private cachedFormat: { key: string; fn: (ms: number) => string } | undefined;

  private renderJoinButton(room: Room): TemplateResult | typeof nothing {
    const session = this.roomCtl.session;
    if (!session || session.isHost || this.roomCtl.phase !== 'ready') return nothing;
    const { t } = this;
    if (room.status !== 'ACTIVE') {
      return session.isParticipant ? html`<span class="joined-tag">${t.joined}</span>` : nothing;
    }
    // A join or leave needs the server now: while the connection is down it would only fail.
    const offline = this.roomCtl.state !== 'open';
    if (session.isParticipant) {
      return html`<button class="button secondary" part="join-button" ?disabled=${this.busy !== null || offline} aria-busy=${this.busy === 'leave' ? 'true' : 'false'} @click=${this.leave}>
        ${this.busy === 'leave' ? t.leaving : t.leave}
      </button>`;
    }
    const full = room.participantCount >= room.maxParticipants;
    return html`<button class="button primary" part="join-button" ?disabled=${this.busy !== null || full || offline} aria-busy=${this.busy === 'join' ? 'true' : 'false'} @click=${this.join}>
      ${this.busy === 'join' ? t.joining : t.join}
    </button>`;
  }

  private renderConnectionBanner(): TemplateResult | typeof nothing {
    const ctl = this.roomCtl;
    if (!ctl.session || ctl.phase === 'signed-out') return nothing;
    // With nothing loaded, the message area says it instead (renderLog): one place, one slot.
    if (ctl.state === 'auth-required' && ctl.phase !== 'error') {
      return html`<div class="banner auth" part="banner auth-banner">
        ${alertIcon}<span class="banner-text"><strong>${this.t.authRequired}</strong><span class="banner-detail">${this.t.authRequiredHint}</span></span>
        <slot name="auth-required"></slot>
      </div>`;
    }
    if (ctl.state === 'reconnecting') {
      return html`<div class="banner warning" part="banner connection-banner"><span class="spinner" aria-hidden="true"></span><span class="banner-text">${this.t.reconnecting}</span></div>`;
    }
    if (ctl.state === 'offline') {
      return html`<div class="banner warning" part="banner connection-banner">${offlineIcon}<span class="banner-text">${this.t.offline}</span></div>`;
    }
    return nothing;
  }

  private renderLog(): TemplateResult {
    const { t } = this;
    const ctl = this.roomCtl;
    const session = ctl.session;
    const messages = ctl.messages;
    let body: unknown;
    if (ctl.phase === 'error' && ctl.loadError?.code === 'FORBIDDEN') {
      // A watcher of a closed deal: nothing to retry, the deal is over for them.
      body = html`${this.renderNotices()}<div class="placeholder closed-for-watchers">
        <span class="placeholder-icon">${chatIcon}</span><p>${t.closedForWatchers}</p>
      </div>`;
    } else if (ctl.phase === 'error' && (ctl.state === 'auth-required' || ctl.loadError?.code === 'UNAUTHENTICATED')) {
      // Retrying with the same refused token cannot help; a new sign-in (the page's answer to the event) can.
      body = html`<div class="placeholder auth-required" part="auth-banner">
        <span class="placeholder-icon">${alertIcon}</span>
        <p><strong>${t.authRequired}</strong><br />${t.authRequiredHint}</p>
        <slot name="auth-required"></slot>
      </div>`;
    } else if (ctl.phase === 'error') {
      body = html`<div class="placeholder">
        ${alertIcon}<p>${ctl.loadError ? t.error(ctl.loadError.code) : t.error('INTERNAL')}</p>
        <button class="button secondary" @click=${() => ctl.reload()}>${t.tryAgain}</button>
      </div>`;
    } else if (ctl.phase === 'signed-out') {
      body = html`${this.renderNotices()}<div class="placeholder signed-out">
        <span class="placeholder-icon">${chatIcon}</span><slot name="signed-out"><p>${t.signedOutInvite}</p></slot>
      </div>`;
    } else if (ctl.phase !== 'ready' || !session) {
      body = html`<div class="skeleton-list" aria-hidden="true">
          <div class="skeleton bubble-skeleton"></div>
          <div class="skeleton bubble-skeleton short"></div>
          <div class="skeleton bubble-skeleton own"></div>
        </div>
        <p class="sr-only">${t.loading}</p>`;
    } else if (messages.length === 0) {
      body = html`<div class="placeholder empty"><span class="placeholder-icon">${chatIcon}</span><slot name="empty"><p>${t.emptyChat}</p></slot></div>`;
    } else {
      body = html`<div class="history-edge">
          ${this.loadingOlder
            ? html`<span class="spinner" aria-hidden="true"></span><span>${t.loadingOlder}</span>`
            : session.hasOlder
              ? nothing
              : html`<span>${t.startOfChat}</span>`}
        </div>
        ${guard([messages, this.locale.locale, ctl.userId, ctl.room?.hostId], () =>
          // The list is the same array until a message changes: typing, the rate-limit tick and the
          // header's updates re-render the widget without going through every message again.
          repeat(
            messages,
            (m) => (m.clientMsgId !== undefined && ctl.isOwn(m) ? `c:${m.clientMsgId}` : `i:${m.id}`),
            (m, i) => this.renderMessage(m, messages[i - 1], messages[i + 1]),
          ),
        )}`;
    }
    return html`<div
      class="log"
      part="messages"
      role="log"
      aria-live="polite"
      aria-label=${t.messagesLabel}
      aria-busy=${this.loadingOlder || ctl.phase === 'loading' ? 'true' : 'false'}
      tabindex="0"
      @scroll=${this.onScroll}
    >
      ${body}
    </div>`;
  }

  /** The seller's notices from the public feed, for a reader the chat does not let in. */
  private renderNotices(): TemplateResult | typeof nothing {
    const notices = this.feed.notices;
    if (notices.length === 0) return nothing;
    return html`<div class="public-notices" aria-label=${this.t.publicNotices}>
      ${repeat(
        notices,
        (m) => m.id,
        (m, i) => this.renderMessage({ ...m, status: 'sent' }, notices[i - 1] && { ...notices[i - 1]!, status: 'sent' }),
      )}
    </div>`;
  }

  private renderMessage(m: ViewMessage, prev: ViewMessage | undefined, next?: ViewMessage): TemplateResult {
    const { f } = this;
    const day = f.dayHeading(m.createdAt);
    const newDay = !prev || f.dayHeading(prev.createdAt) !== day;
    const separator = newDay ? html`<div class="day" part="day"><span>${day}</span></div>` : nothing;
    if (m.type === 'SYSTEM') {
      const text = m.event && m.room ? this.t.system(m.event, m.room, f.count(m.room.participantCount), f.count(m.room.maxParticipants)) : m.content;
      return html`${separator}<div class="row system" part="message message-system"><span class="system-text">${text}</span></div>`;
    }
    if (m.type === 'NOTIFICATION') {
      return html`${separator}<div class="row notification" part="message message-notification">
          <div class="notice-card" part="notice">
            <span class="notice-icon">${noticeIcon}</span>
            <div class="notice-body">
              <div class="notice-title">${this.t.notice}${m.sender ? html` · ${m.sender.name}` : nothing}</div>
              <p class="content">${m.content}</p>
            </div>
            <time class="time" part="time" datetime=${m.createdAt}>${f.clock(m.createdAt)}</time>
          </div>
        </div>`;
    }
    return html`${separator}${this.renderChat(m, newDay ? undefined : prev, next)}`;
  }

  private renderChat(m: ViewMessage, prev: ViewMessage | undefined, next: ViewMessage | undefined): TemplateResult {
    const { t, f } = this;
    const ctl = this.roomCtl;
    const own = ctl.isOwn(m);
    const senderId = m.sender?.userId ?? '';
    const name = m.sender?.name ?? '';
    const grouped =
      prev !== undefined &&
      prev.type === 'CHAT' &&
      prev.sender?.userId === senderId &&
      Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
    const isSeller = senderId !== '' && senderId === ctl.room?.hostId;
    const failed = m.status === 'failed';
    // Like the big chat apps: a burst of one sender within one clock minute shows its time once, on the
    // last message (the next one, when it is the same sender's in the same minute, carries it).
    const timeShown =
      next === undefined ||
      next.type !== 'CHAT' ||
      next.status === 'failed' ||
      (next.sender?.userId ?? '') !== senderId ||
      Math.floor(Date.parse(next.createdAt) / TIME_BUCKET_MS) !== Math.floor(Date.parse(m.createdAt) / TIME_BUCKET_MS);
    return html`<div
      class="row chat ${own ? 'own' : 'other'} ${grouped ? 'grouped' : ''} ${m.status}"
      part="message message-chat ${own ? 'message-own' : ''}"
    >
      ${own
        ? nothing
        : grouped
          ? html`<span class="avatar-space"></span>`
          : html`<span class="avatar" aria-hidden="true" style=${styleMap({ '--_hue': String(hueOf(senderId)) })}>${initialOf(name)}</span>`}
      <div class="stack">
        ${!own && !grouped
          ? html`<div class="sender" part="sender" aria-hidden="true">
              <span class="sender-name">${name}</span>${isSeller ? html`<span class="tag">${t.seller}</span>` : nothing}
            </div>`
          : nothing}
        <div class="line">
          <!-- pre-wrap keeps the message's own line breaks, so nothing else may sit in the bubble's text -->
          <div class="bubble" part="bubble"><span class="sr-only">${own ? t.you : isSeller ? `${name} (${t.seller})` : name}: </span>${m.content}</div>
          <span class="meta">
            ${m.status === 'pending'
              ? html`<span class="spinner small" aria-hidden="true"></span><span class="sr-only">${t.sending}</span>`
              : failed || !timeShown
                ? nothing
                : html`<time class="time" part="time" datetime=${m.createdAt}>${f.clock(m.createdAt)}</time>`}
          </span>
        </div>
        ${failed
          ? html`<div class="failed-row">
              ${alertIcon}<span>${t.failed}${m.error ? html` · ${t.error(m.error.code)}` : nothing}</span>
              <button class="link-button" part="retry-button" @click=${() => this.retry(m)}>${t.retry}</button>
              <button class="link-button muted" part="discard-button" @click=${() => ctl.session?.discard(m.clientMsgId ?? m.id)}>${t.discard}</button>
            </div>`
          : nothing}
      </div>
    </div>`;
  }

  private renderComposer(): TemplateResult {
    const { t, f } = this;
    const ctl = this.roomCtl;
    const reason = this.readOnlyReason;
    const disabled = reason !== null || ctl.phase !== 'ready';
    const secondsLeft = Math.ceil((this.rateLimitUntil - Date.now()) / 1000);
    const length = this.draft.trim().length;
    const tooLong = length > LIMITS.contentMaxChars;
    // Touch screens have no Shift+Enter: the hint follows the pointer, not the width (a narrow desktop
    // window still has a keyboard).
    let hint: TemplateResult | string = html`<span class="hint-keys">${t.composerHint}</span><span class="hint-touch">${t.composerHintTouch}</span>`;
    let hintKind = '';
    if (reason) {
      hint = reason;
      hintKind = 'reason';
    } else if (secondsLeft > 0) {
      hint = t.rateLimited(f.count(secondsLeft));
      hintKind = 'error';
    } else if (tooLong) {
      hint = t.tooLong(f.count(length), f.count(LIMITS.contentMaxChars));
      hintKind = 'error';
    } else if (length > LIMITS.contentMaxChars * 0.9) {
      hint = `${f.count(length)}/${f.count(LIMITS.contentMaxChars)}`;
    }
    const canSend = !disabled && length > 0 && !tooLong && secondsLeft <= 0;
    return html`<form class="composer ${disabled ? 'disabled' : ''}" part="composer" @submit=${this.onSubmit}>
        <label class="sr-only" for="input">${t.inputLabel}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          enterkeyhint="send"
          placeholder=${t.placeholder}
          aria-describedby="composer-hint"
          aria-invalid=${tooLong ? 'true' : 'false'}
          ?disabled=${disabled}
          .value=${live(this.draft)}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        ></textarea>
        <button class="send" part="send-button" type="submit" aria-label=${t.send} ?disabled=${!canSend}>${sendIcon}</button>
      </form>
      <div id="composer-hint" class="hint ${hintKind}" part="composer-hint">${hint}</div>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>`;
  }

  private onInput(e: InputEvent): void {
    const el = e.target as HTMLTextAreaElement;
    const wasTooLong = this.draft.trim().length > LIMITS.contentMaxChars;
    this.draft = el.value;
    const tooLong = this.draft.trim().length > LIMITS.contentMaxChars;
    if (tooLong && !wasTooLong) this.announcement = this.t.tooLongAlert(this.f.count(LIMITS.contentMaxChars));
    else if (!tooLong && wasTooLong) this.announcement = '';
    this.resizeInput();
  }

  private resizeInput(): void {
    const el = this.inputEl;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.shiftKey) return;
    // Enter during IME composition (Korean Hangul, Japanese kana …) commits the syllable; it must never
    // send. Safari reports that Enter after compositionend with isComposing false but keyCode 229.
    if (e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.sendDraft();
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    this.sendDraft();
  }

  private sendDraft(): void {
    const session = this.roomCtl.session;
    const text = this.draft;
    if (!session || this.readOnlyReason || this.roomCtl.phase !== 'ready') return;
    if (text.trim().length === 0 || text.trim().length > LIMITS.contentMaxChars) return;
    if (this.rateLimitUntil > Date.now()) return;
    let message: ViewMessage;
    try {
      message = session.send(text);
    } catch (err) {
      this.showError(toChatError(err).toInfo());
      return;
    }
    this.draft = '';
    this.scrollToEnd = true;
    void this.updateComplete.then(() => this.resizeInput());
    this.emit(new GroupbuySendEvent(message));
  }

  private retry(m: ViewMessage): void {
    if (m.clientMsgId === undefined) return;
    this.scrollToEnd = true;
    this.roomCtl.session?.retry(m.clientMsgId);
  }

  private join(): Promise<void> {
    return this.changeMembership('join');
  }

  private leave(): Promise<void> {
    return this.changeMembership('leave');
  }

  // Join and Leave share the busy flag (one request at a time), the error banner and the event.
  private async changeMembership(kind: 'join' | 'leave'): Promise<void> {
    const session = this.roomCtl.session;
    if (!session || this.busy) return;
    this.busy = kind;
    try {
      await (kind === 'join' ? session.join() : session.leave());
      this.emit(kind === 'join' ? new GroupbuyJoinEvent(session.room) : new GroupbuyLeaveEvent(session.room));
    } catch (err) {
      // A refused join/leave was already dispatched by onSessionError (the session reports its REST writes).
      this.showError(toChatError(err).toInfo(), false);
    } finally {
      this.busy = null;
    }
  }

  private onSessionError(error: ErrorInfo & { clientMsgId?: string }): void {
    if (error.code === 'UNAUTHENTICATED') this.lastAuthReason = error.message;
    if (error.code === 'RATE_LIMITED') {
      // The session's error event carries code and message; the failed message keeps retryAfterMs.
      const failed = this.roomCtl.messages.find((m) => m.clientMsgId === error.clientMsgId && m.status === 'failed');
      this.startRateLimit(error.retryAfterMs ?? failed?.error?.retryAfterMs ?? 5000);
    }
    this.emit(new GroupbuyErrorEvent(error));
    // A failed send is shown on the message itself, a refused join by join(), and a feed ended for a
    // watcher (the deal closed) by the composer's read-only reason.
    if (
      error.clientMsgId === undefined &&
      error.code !== 'RATE_LIMITED' &&
      this.busy === null &&
      this.roomCtl.phase === 'ready' &&
      this.readOnlyReason === null
    ) {
      this.notice = this.t.error(error.code);
      this.armNoticeTimer();
    }
  }

  /** Shows the error banner; `dispatch` false when the session's own error event already told the page. */
  private showError(error: ErrorInfo, dispatch = true): void {
    this.notice = this.t.error(error.code);
    this.armNoticeTimer();
    if (dispatch) this.emit(new GroupbuyErrorEvent(error));
  }

  private armNoticeTimer(): void {
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }

  private dismissNotice(): void {
    clearTimeout(this.noticeTimer);
    this.notice = null;
  }

  private startRateLimit(ms: number): void {
    this.rateLimitUntil = Date.now() + ms;
    this.announcement = this.t.rateLimited(this.f.count(Math.ceil(ms / 1000)));
    clearInterval(this.rateTimer);
    this.rateTimer = setInterval(() => {
      this.requestUpdate();
      if (Date.now() >= this.rateLimitUntil) {
        clearInterval(this.rateTimer);
        this.announcement = '';
      }
    }, 1000);
  }

  private togglePanel(): void {
    this.panelOpen = !this.panelOpen;
  }

  private onPanelKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape') return;
    this.panelOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.chip-button')?.focus());
  }

  private onState(state: ConnectionState): void {
    // One event per episode: a new one starts when a token the page gave afterwards is refused too.
    if (state !== 'auth-required') {
      this.authEpisode = false;
      return;
    }
    if (this.authEpisode) return;
    this.authEpisode = true;
    // After the session's own UNAUTHENTICATED error (it follows the state change), whose words are the reason.
    queueMicrotask(() =>
      this.emit(
        new GroupbuyAuthRequiredEvent({
          productId: this.productId,
          reason: this.lastAuthReason ?? 'The chat server refused the sign-in token.',
        }),
      ),
    );
  }

  private onScroll(): void {
    const el = this.logEl;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
    if (atBottom !== this.atBottom) this.atBottom = atBottom;
    if (atBottom && this.unseen > 0) this.unseen = 0;
    if (el.scrollTop < OLDER_PX) void this.loadOlder();
  }

  private async loadOlder(): Promise<void> {
    const session = this.roomCtl.session;
    const el = this.logEl;
    if (!session || !el || !session.hasOlder || this.loadingOlder || this.roomCtl.phase !== 'ready') return;
    this.loadingOlder = true;
    this.anchor = { height: el.scrollHeight, top: el.scrollTop };
    try {
      await session.loadOlder();
    } catch (err) {
      this.showError(toChatError(err).toInfo());
    } finally {
      this.loadingOlder = false;
      await this.updateComplete;
      this.anchor = null;
    }
  }

  private jumpToLatest(): void {
    const el = this.logEl;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    this.unseen = 0;
    this.atBottom = true;
  }

  // One place that dispatches; the events are documented on the class (and so in custom-elements.json).
  private emit(event: Event): void {
    this.dispatchEvent(event);
  }
}
