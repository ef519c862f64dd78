import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isInviteCode, toChatError, type ErrorInfo } from '@groupbuy/protocol';
import { inviteRefFromUrl, type ConnectionState, type ViewMessage } from '@groupbuy/sdk';
import { GroupbuyAuthRequiredEvent } from '../../events/groupbuy-auth-required-event.js';
import { GroupbuyErrorEvent } from '../../events/groupbuy-error-event.js';
import { GroupbuyJoinEvent } from '../../events/groupbuy-join-event.js';
import { GroupbuyLeaveEvent } from '../../events/groupbuy-leave-event.js';
import { GroupbuyRoomChangeEvent } from '../../events/groupbuy-room-change-event.js';
import { GroupbuySendEvent } from '../../events/groupbuy-send-event.js';
import { PublicFeedController } from '../../internal/public-feed.js';
import { RoomController } from '../../internal/room-controller.js';
import { RoomElement } from '../../internal/room-element.js';
import { renderConnectionBanner, renderErrorBanner } from './banners.js';
import { ChatHeader } from './chat-header.js';
import { Composer } from './composer.js';
import { LauncherLoader } from './launcher-host.js';
import { HostStatsToggle } from './host-stats-toggle.js';
import { InviteButton } from './invite-button.js';
import { renderTypingLine } from './typing-indicator.js';
import { ModerationLoader } from './moderation-loader.js';
import { styles } from './groupbuy-chat.styles.js';
import { MessageList } from './message-list.js';
import { renderParticipantsPanel } from './participants-panel.js';
import { composerLock } from './read-only.js';

// The parts a reader looks for by name live beside this file, each with its own styles: chat-header,
// banners, message-list (with message-row), participants-panel and composer. They are render modules
// and controllers of this one element, not elements of their own: one shadow root keeps every part
// reachable with ::part() and the ids the parts point at each other with (aria-controls,
// aria-describedby, label for) in one tree, where a nested shadow root would cut them.

/** How long a dismissible error stays, in ms. */
const NOTICE_MS = 8000;

// The theme's CSS custom properties (--groupbuy-accent …) are documented once, in internal/theme.styles.ts;
// scripts/gen-elements-docs.mjs adds the ones this element's stylesheets read to its manifest entry. Only
// --groupbuy-height is the chat's own.

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
 * Invites (issue 12): a signed-in shopper of an open deal gets "친구 초대" / "Invite friends", which shares
 * (Web Share API) or copies the product page's link with their `gb_ref` code — `invite-url` when set, else
 * this page's URL — and a shopper who joins from such a page (or with `invite-ref`) is attributed to the
 * inviter: "민지님이 지수님 초대로 참여했어요". The seller gets "통계" / "Stats": the deal's funnel (viewers,
 * chatters, joins, leaves, messages per minute, view→join, time to fill, top inviters) and a sparkline of
 * buyers over time, in a view loaded on first use.
 *
 * @attr invite-url - The product page an invite link points at (the shop's canonical URL), `gb_ref` added; unset, this page's URL (any `gb_ref` it came with replaced).
 * @attr invite-ref - The invite code a join passes on to the server; unset, the page URL's `gb_ref` parameter.
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
 * @event {GroupbuyOpenEvent} groupbuy-open - Launcher mode: the chat opened (the launcher was pressed, or `open` was set).
 * @event {GroupbuyCloseEvent} groupbuy-close - Launcher mode: the chat closed (close button, Escape, the launcher, or `open` cleared).
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
 * @csspart typing - The "Minji is typing…" line above the composer (issue 12).
 * @csspart invite-button - "Invite friends": shares or copies the shopper's invite link (issue 12).
 * @csspart invite-status - "Link copied", beside the invite button (a polite live region).
 * @csspart invite-link - The read-only field with the invite link, shown when the clipboard was refused.
 * @csspart stats-button - The seller's "Stats" button (issue 12).
 * @csspart stats-panel - The seller's stats view over the message list.
 * @csspart stats-refresh - Refresh in the stats view.
 * @csspart stats-error - Why the stats could not be loaded.
 * @csspart stats-inviters - The top three inviters.
 * @csspart sparkline - The sparkline of participants over time (`role="img"`).
 * @csspart message-deleted - A deleted message's row ("This message was deleted", issue 11).
 * @csspart message-menu-button - A message's menu button (`aria-haspopup="menu"`, issue 11).
 * @csspart message-menu - The open message menu (Delete, Pin, Mute, Report).
 * @csspart report-form - The report's reason form, in the menu's place.
 * @csspart pinned-notice - The pinned notice under the header (issue 11).
 * @csspart pinned-toggle - Folds and unfolds the pinned notice (`aria-expanded`).
 * @csspart pinned-body - The pinned notice's text.
 * @csspart unpin-button - The host's Unpin on the pinned notice.
 * @csspart tools - The row under the header: the host's slow-mode selector, the shipping-address button or count.
 * @csspart slow-mode-control - The host's slow-mode selector.
 * @csspart reports-button - The seller's count of reports, which opens their list.
 * @csspart reports-list - The seller's list of reported messages (each with Delete message).
 * @csspart address-button - A buyer's "Add shipping address" (issue 11).
 * @csspart address-count - The host's "N shipping addresses".
 * @csspart csv-button - The host's "Download CSV" of the addresses.
 * @csspart address-form - The shipping-address form over the message list.
 * @csspart address-saved - The saved address, masked.
 * @csspart address-error - A field's error in the address form.
 * @csspart address-save - The form's Save button.
 * @csspart address-edit - Edit on the saved address.
 * @csspart address-delete - Delete on the saved address.
 * @csspart pii-hint - The private hint after phone numbers or addresses were masked in the user's message.
 * @csspart cooldown - The slow-mode seconds left, on the send button.
 * @csspart images - A message's photos (issue 12): a grid of previews.
 * @csspart image - One photo of a message: the button that opens it in the lightbox.
 * @csspart lightbox - The photo viewer (a modal `<dialog>`); also `lightbox-image`, `lightbox-caption`, `lightbox-previous`, `lightbox-next`, `lightbox-close`.
 * @csspart attach-button - The composer's "Attach photos" button (paste and drop work too).
 * @csspart attachments - The photos picked for the next message, above the composer.
 * @csspart attachment - One picked photo (also `attachment-uploading`, `attachment-done`, `attachment-failed`).
 * @csspart attachment-alt - A picked photo's alt-text field (defaults to the file name).
 * @csspart attachment-remove - Takes a picked photo out.
 * @csspart attachment-retry - Uploads a failed photo again.
 * @csspart attachments-notice - Why a file was refused, or that the send waits for uploads.
 * @csspart composer - The composer row.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 * @csspart composer-hint - The line under the composer (hints, limits, why it is disabled).
 * @csspart launcher - Launcher mode: the floating round button (issue 12).
 * @csspart launcher-ring - Launcher mode: the deal's progress ring around the button (buyers / cap).
 * @csspart launcher-badge - Launcher mode: the unread count on the button ("99+" above 99, hidden at 0).
 * @csspart launcher-panel - Launcher mode: the panel the chat opens in (`role="dialog"`; the whole screen up to 480 px wide).
 * @csspart launcher-close - Launcher mode: the panel's close button.
 *
 * @cssproperty [--groupbuy-height=600px] - Height of the widget (or set `height` on the element); in launcher mode, of the open panel (at most the window's).
 * @cssproperty [--groupbuy-launcher-bottom=20px] - Launcher mode: the button's distance from the window's bottom edge.
 * @cssproperty [--groupbuy-launcher-right=20px] - Launcher mode: the button's distance from the right edge.
 * @cssproperty [--groupbuy-launcher-left=auto] - Launcher mode: set it to put the button (and the panel) that far from the left edge instead.
 * @cssproperty [--groupbuy-launcher-size=56px] - Launcher mode: the button's diameter.
 * @cssproperty [--groupbuy-launcher-z=2147483000] - Launcher mode: the `z-index` of the button and the panel.
 */
export class GroupbuyChat extends RoomElement {
  static override styles = styles;

  /**
   * `panel`: the chat is a card in the page. `launcher` (issue 12): a floating round button with the deal's
   * progress and the unread count, which opens the chat in a panel (full screen on a phone); the
   * connection stays while it is closed, and what arrives then counts as unread. @default 'panel'
   */
  @property({ reflect: true }) mode: 'panel' | 'launcher' = 'panel';

  /** Launcher mode: whether the chat is open. Set it to open or close the chat from the page. @default false */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private panelOpen = false;
  @state() private busy: 'join' | 'leave' | null = null;
  @state() private notice: string | null = null;

  private readonly roomCtl = new RoomController(this, {
    room: (room) => this.emit(new GroupbuyRoomChangeEvent(room)),
    message: (m) => this.list.arrived(m),
    notice: (n) => this.moderation.notice(n),
    error: (e) => this.onSessionError(e),
    state: (s) => this.onState(s),
  });
  // The public feed runs while the chat itself will not let the reader in: signed out, or a watcher of a
  // deal that closed (the server answers FORBIDDEN to them).
  private readonly feed = new PublicFeedController(this, () => {
    const ctl = this.roomCtl;
    const shut = ctl.phase === 'signed-out' || ctl.closedToReader;
    return shut && this.productId ? { baseUrl: this.baseUrl || location.origin, productId: this.productId } : null;
  });
  private readonly header = new ChatHeader(this, { room: this.roomCtl, locale: this.locale });
  // Issue 11 (menu, mute, slow mode, pinned notice, shipping address): a chunk loaded once signed in.
  private readonly moderation = new ModerationLoader(this, {
    room: this.roomCtl,
    locale: this.locale,
    onError: (e) => this.showError(e),
    visitorRoom: () => this.feed.room,
  });
  private readonly list = new MessageList(this, {
    room: this.roomCtl,
    feed: this.feed,
    locale: this.locale,
    onError: (e) => this.showError(e),
    menu: this.moderation,
  });
  private readonly composer = new Composer(this, {
    room: this.roomCtl,
    locale: this.locale,
    readOnlyReason: () => this.readOnlyReason,
    sent: (m) => this.sent(m),
    onError: (e) => this.showError(e),
    moderation: () => this.moderation.ui,
  });
  private readonly invite = new InviteButton(this, {
    room: this.roomCtl,
    locale: this.locale,
    pageUrl: () => this.getAttribute('invite-url') || location.href,
    onError: (e) => this.showError(e),
  });
  private readonly stats = new HostStatsToggle(this, { room: this.roomCtl, locale: this.locale, onError: (e) => this.showError(e) });
  private readonly launcher = new LauncherLoader({
    host: this,
    room: this.roomCtl,
    locale: this.locale,
    deal: () => this.roomCtl.room ?? this.feed.room,
  });
  private authEpisode = false;
  private lastAuthReason: string | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.noticeTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('productId') || changed.has('client') || changed.has('token')) this.list.reset();
  }

  /** Why the composer is disabled, or null when the user may write. */
  private get readOnlyReason(): string | null {
    const key = composerLock(this.roomCtl, this.feed.room);
    return key === null ? (this.moderation.ui?.mutedReason() ?? null) : this.locale.t[key];
  }

  override render(): unknown {
    return this.launcher.render(() => this.renderChat());
  }

  private renderChat(): TemplateResult {
    const ctl = this.roomCtl;
    const t = this.locale.t;
    // Everything sits in one flex column of its own, so a page's `display` on the element (block, grid,
    // inline-block …) cannot pull the composer up into the middle of the card.
    // Photos dropped anywhere on the chat join the composer's tray (issue 12).
    return html`<div class="frame" @dragover=${this.composer.attach.onDragOver} @drop=${this.composer.attach.onFiles}>
      ${this.header.render({
        room: ctl.room ?? this.feed.room,
        panelOpen: this.panelOpen,
        busy: this.busy,
        togglePanel: this.togglePanel,
        join: this.join,
        leave: this.leave,
        controls: html`${this.invite.render()}${this.stats.renderButton()}`,
      })}
      ${this.moderation.ui?.renderUnderHeader(ctl.room ?? this.feed.room)}
      <div class="banners" role="status">${renderConnectionBanner(ctl, t)}</div>
      ${renderErrorBanner(this.notice, t, this.dismissNotice)} ${this.moderation.ui?.address.renderHint()}
      <div class="log-wrap">
        ${this.list.render()}
        ${
          this.panelOpen
            ? renderParticipantsPanel({ room: ctl, lang: this.locale.locale, theme: this.theme, keydown: this.onPanelKeydown })
            : nothing
        }
        ${this.stats.renderPanel()} ${this.moderation.ui?.address.renderPanel()} ${this.list.renderJump()}
      </div>
      ${renderTypingLine(ctl.session?.typingUsers ?? [], t, this.locale.format)} ${this.composer.render()}
    </div>`;
  }

  private sent(message: ViewMessage): void {
    this.list.followEnd();
    this.emit(new GroupbuySendEvent(message));
  }

  private readonly join = (): void => void this.changeMembership('join');

  private readonly leave = (): void => void this.changeMembership('leave');

  // Join and Leave share the busy flag (one request at a time), the error banner and the event.
  private async changeMembership(kind: 'join' | 'leave'): Promise<void> {
    const session = this.roomCtl.session;
    if (!session || this.busy) return;
    this.busy = kind;
    try {
      // The invite code the shopper arrived with, so the join is attributed to whoever shared the link.
      // A mangled code is dropped here rather than refused by the server: it must never cost the seat.
      const given = this.getAttribute('invite-ref');
      const ref = isInviteCode(given) ? given : inviteRefFromUrl(location.href);
      await (kind === 'join' ? session.join({ ref }) : session.leave());
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
      this.composer.startRateLimit(error.retryAfterMs ?? failed?.error?.retryAfterMs ?? 5000);
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
      this.notice = this.locale.t.error(error.code);
      this.armNoticeTimer();
    }
  }

  /** Shows the error banner; `dispatch` false when the session's own error event already told the page. */
  private showError(error: ErrorInfo, dispatch = true): void {
    this.notice = this.locale.t.error(error.code);
    this.armNoticeTimer();
    if (dispatch) this.emit(new GroupbuyErrorEvent(error));
  }

  private armNoticeTimer(): void {
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }

  private readonly dismissNotice = (): void => {
    clearTimeout(this.noticeTimer);
    this.notice = null;
  };

  private readonly togglePanel = (): void => {
    this.panelOpen = !this.panelOpen;
  };

  private readonly onPanelKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    this.panelOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.chip-button')?.focus());
  };

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

  // One place that dispatches; the events are documented on the class (and so in custom-elements.json).
  private emit(event: Event): void {
    this.dispatchEvent(event);
  }
}
