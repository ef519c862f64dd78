import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { toChatError, type ChatMessage, type ErrorInfo } from '@groupbuy/protocol';
import type { ViewMessage } from '@groupbuy/sdk';
import { alertIcon, arrowDownIcon, chatIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { PublicFeedController } from '../../internal/public-feed.js';
import type { RoomController } from '../../internal/room-controller.js';
import { renderMessage, type RowContext, type RowMenu } from './message-row.js';
import type { PartHost } from './part-host.js';
import { ReadMarker } from './read-marker.js';

/** Within this many px of the bottom the list counts as "at the bottom" and follows new messages. */
const STICK_PX = 48;
/** Within this many px of the top, older history is loaded. */
const OLDER_PX = 80;

/**
 * True while the first load failed for want of a connection (the server is down after a reload) and the
 * session restored sends an earlier page left in the persisted outbox: the list shows them, and the
 * connection banner says the chat is reconnecting.
 */
export function restoredWhileDown(ctl: RoomController): boolean {
  return ctl.phase === 'error' && ctl.loadError?.code === 'UNAVAILABLE' && ctl.state !== 'auth-required' && ctl.messages.length > 0;
}

/** What the message list reads from the chat and tells it. */
export interface MessageListOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The public feed (notices for a reader the chat does not let in). */
  readonly feed: PublicFeedController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Shows a failure in the chat's error banner (and tells the page). */
  readonly onError: (error: ErrorInfo) => void;
  /** Issue 11: each stored message's menu (moderation, report), when the chat has one. */
  readonly menu?: RowMenu;
}

/**
 * The message list (`role="log"`): what fills it in each phase (skeleton, empty, sign-in, error, the
 * messages), where it scrolls (following the end, keeping the reader's place when older history goes in
 * above), loading older history near the top, and the "new messages" button while scrolled up.
 */
export class MessageList implements ReactiveController {
  private unseen = 0;
  // Issue 12: the room is marked read while the reader sees its end.
  private readonly readMarker = new ReadMarker();
  private atBottom = true;
  private loadingOlder = false;
  private renderedMessages: readonly ViewMessage[] | null = null;
  private followBottom = true;
  private scrollToEnd = false;
  private anchor: { height: number; top: number } | null = null;
  private formatsWarmed = false;
  private readQueued = false;
  private readonly rowActions: Pick<RowContext, 'isOwn' | 'retry' | 'discard' | 'menu' | 'systemText'>;

  constructor(
    private readonly host: PartHost,
    private readonly options: MessageListOptions,
  ) {
    host.addController(this);
    const { room } = options;
    this.rowActions = {
      isOwn: (m) => room.isOwn(m),
      retry: (m) => this.retry(m),
      discard: (m) => room.session?.discard(m.clientMsgId ?? m.id),
      menu: (m) => options.menu?.render(m),
      systemText: (m) => options.menu?.systemText(m),
    };
  }

  /**
   * What every row of one render reads, resolved once for all of them: the language (a walk up the DOM for
   * the nearest `lang`), its formatters, the seller and the server.
   */
  private rowContext(): RowContext {
    const { locale, room } = this.options;
    return { ...this.rowActions, t: locale.t, f: locale.format, hostId: room.room?.hostId, baseUrl: room.client?.baseUrl };
  }

  private get el(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.log');
  }

  /** Another room (or reader): the next render starts at the end again. */
  reset(): void {
    this.renderedMessages = null;
    this.unseen = 0;
    this.readMarker.reset();
  }

  /** The next render scrolls to the end (the reader sent or retried a message). */
  followEnd(): void {
    this.scrollToEnd = true;
  }

  /** A stored message arrived live: counted as unseen while the reader is scrolled up (unless it is theirs). */
  arrived(m: ChatMessage): void {
    if (this.atBottom || (m.sender && m.sender.userId === this.options.room.userId)) return;
    this.unseen += 1;
    this.host.requestUpdate();
  }

  /** Measured before the DOM changes: a reader at the bottom keeps following; one scrolled up stays put. */
  hostUpdate(): void {
    const el = this.el;
    this.followBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
  }

  /** After the DOM changed: keep the reader's place, or follow the end. */
  hostUpdated(): void {
    const messages = this.options.room.messages;
    const changed = messages !== this.renderedMessages;
    const first = this.renderedMessages === null;
    this.renderedMessages = messages;
    if (this.options.room.phase === 'loading') this.warmFormats();
    const el = this.el;
    if (!el) return;
    if (this.anchor && changed) {
      // Older history went in above: keep the message the reader was looking at where it was.
      el.scrollTop = el.scrollHeight - this.anchor.height + this.anchor.top;
      this.anchor = null;
    } else if (first || this.followBottom || this.scrollToEnd) {
      // Also when only the layout changed (a banner took room): a reader at the end stays at the end.
      el.scrollTop = el.scrollHeight;
      this.scrollToEnd = false;
      if (!this.atBottom || this.unseen !== 0) {
        this.atBottom = true;
        this.unseen = 0;
        this.host.requestUpdate();
      }
    }
    this.markReadAfterPaint();
  }

  /**
   * The read position is not what the reader waits for: its request goes out after the frame that shows the
   * rows (a hidden page paints no frame, and is not marked read until it shows), once however many renders
   * came before it.
   */
  private markReadAfterPaint(): void {
    if (this.readQueued) return;
    this.readQueued = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.readQueued = false;
        this.readMarker.seen(this.options.room.session, this.el, this.atBottom);
      }, 0),
    );
  }

  /**
   * While the history is on its way, the formatters its rows use are made (the page's first Intl object
   * initialises the browser's locale data, tens of ms): in a task of their own after this update, when the
   * requests have gone out, rather than in the render of the rows once they arrived.
   */
  private warmFormats(): void {
    if (this.formatsWarmed) return;
    this.formatsWarmed = true;
    setTimeout(() => {
      const f = this.options.locale.format;
      const now = new Date().toISOString();
      f.dayHeading(now);
      f.clock(now);
    }, 0);
  }

  /** The list itself. */
  render(): TemplateResult {
    const t = this.options.locale.t;
    const ctl = this.options.room;
    const session = ctl.session;
    const messages = ctl.messages;
    let body: unknown;
    if (ctl.closedToReader) {
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
    } else if (restoredWhileDown(ctl)) {
      // The server could not be reached, but the sends an earlier page left in the outbox are back: show
      // them (they go out once the connection is), under the connection banner, not "cannot connect".
      body = html`<div class="history-edge"></div>${this.renderMessages(messages)}`;
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
          ${
            this.loadingOlder
              ? html`<span class="spinner" aria-hidden="true"></span><span>${t.loadingOlder}</span>`
              : session.hasOlder
                ? nothing
                : html`<span>${t.startOfChat}</span>`
          }
        </div>
        ${this.renderMessages(messages)}`;
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

  /** The "new messages" button, while the reader is scrolled up and messages came in below. */
  renderJump(): TemplateResult | typeof nothing {
    if (this.unseen === 0 || this.atBottom) return nothing;
    const { t, format: f } = this.options.locale;
    return html`<button class="jump" part="jump-button" @click=${this.jumpToLatest}>
      ${arrowDownIcon}${t.newMessages(f.count(this.unseen))}
    </button>`;
  }

  private renderMessages(messages: readonly ViewMessage[]): unknown {
    const ctl = this.options.room;
    return guard([messages, this.options.locale.locale, ctl.userId, ctl.room?.hostId, this.options.menu?.version], () => {
      // The list is the same array until a message changes: typing, the rate-limit tick and the
      // header's updates re-render the widget without going through every message again.
      const rows = this.rowContext();
      return repeat(
        messages,
        (m) => (m.clientMsgId !== undefined && ctl.isOwn(m) ? `c:${m.clientMsgId}` : `i:${m.id}`),
        (m, i) => renderMessage(rows, m, messages[i - 1], messages[i + 1]),
      );
    });
  }

  /** The seller's notices from the public feed, for a reader the chat does not let in. */
  private renderNotices(): TemplateResult | typeof nothing {
    const notices = this.options.feed.notices;
    if (notices.length === 0) return nothing;
    const rows = this.rowContext();
    return html`<div class="public-notices" aria-label=${this.options.locale.t.publicNotices}>
      ${repeat(
        notices,
        (m) => m.id,
        (m, i) => {
          const prev = notices[i - 1];
          return renderMessage(rows, { ...m, status: 'sent' }, prev && { ...prev, status: 'sent' });
        },
      )}
    </div>`;
  }

  private retry(m: ViewMessage): void {
    if (m.clientMsgId === undefined) return;
    this.scrollToEnd = true;
    this.options.room.session?.retry(m.clientMsgId);
  }

  private readonly onScroll = (): void => {
    const el = this.el;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX;
    let changed = atBottom !== this.atBottom;
    this.atBottom = atBottom;
    if (atBottom && this.unseen > 0) {
      this.unseen = 0;
      changed = true;
    }
    if (changed) this.host.requestUpdate();
    this.readMarker.seen(this.options.room.session, el, atBottom);
    if (el.scrollTop < OLDER_PX) void this.loadOlder();
  };

  private async loadOlder(): Promise<void> {
    const ctl = this.options.room;
    const session = ctl.session;
    const el = this.el;
    if (!session || !el || !session.hasOlder || this.loadingOlder || ctl.phase !== 'ready') return;
    this.loadingOlder = true;
    this.host.requestUpdate();
    this.anchor = { height: el.scrollHeight, top: el.scrollTop };
    try {
      await session.loadOlder();
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
    } finally {
      this.loadingOlder = false;
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.anchor = null;
    }
  }

  private readonly jumpToLatest = (): void => {
    const el = this.el;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    this.unseen = 0;
    this.atBottom = true;
    this.host.requestUpdate();
  };
}
