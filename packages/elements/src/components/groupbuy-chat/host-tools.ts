import { html, nothing, type TemplateResult } from 'lit';
import { toChatError, type ErrorInfo, type MessageReport } from '@groupbuy/protocol';
import type { RoomSession, ViewMessage } from '@groupbuy/sdk';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import { hostToolsStrings, type HostToolsStrings } from './host-tools.strings.js';
import { hostToolsStyles } from './host-tools.styles.js';
import type { MenuAction, ModerationMenu } from './moderation-menu.js';
import type { PartHost } from './part-host.js';

/** The mute lengths the menu offers, in ms: 10 minutes, an hour, a day. */
export const MUTE_MS = [10 * 60_000, 60 * 60_000, 24 * 60 * 60_000] as const;
/** The slow-mode settings the host's selector offers, in ms (0 = off). */
export const SLOW_MODE_MS = [0, 10_000, 30_000, 60_000] as const;

/** What the tools need from the chat. */
export interface HostToolsOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Shows a refused action in the chat's error banner. */
  readonly onError: (error: ErrorInfo) => void;
  /** The menu state (which message's menu is open). */
  readonly menu: ModerationMenu;
}

/**
 * The lazily loaded half of issue 11's moderation UI (see moderation-menu.ts for the other): a message's
 * menu (Delete, Pin, Mute for 10 min / 1 h / 24 h, Report with a reason), with arrow keys and Escape, and
 * the host's slow-mode selector. Every action goes through the SDK session; a refusal shows in the chat's
 * error banner.
 */
export class HostTools {
  private reporting: number | null = null;
  private reason = '';
  private busy = false;
  // The seller's list of the room's reports: null until read (on the controls' first render, and on each open).
  private reports: readonly MessageReport[] | null = null;
  private reportsAsked = false;
  private reportsOpen = false;
  /** The sentence of the live region after an action (e.g. "the report was sent"), or ''. */
  status = '';

  constructor(
    private readonly host: PartHost,
    private readonly options: HostToolsOptions,
  ) {
    // This chunk brings its own styles: the initial sheet does not carry the menu's and the form's.
    adoptLazyStyles(host.renderRoot, hostToolsStyles);
  }

  private get s(): HostToolsStrings {
    return hostToolsStrings(this.options.locale.format.lang);
  }

  /** The open menu of `m` (a sent message), offering `actions`; the report form in its place once asked for. */
  renderMenu(m: ViewMessage & { status: 'sent' }, actions: readonly MenuAction[]): TemplateResult {
    const s = this.s;
    if (this.reporting === m.seq) {
      return html`<form class="menu report-form" part="report-form" @submit=${(e: Event) => this.submitReport(e, m.seq)} @keydown=${this.onMenuKeydown}>
        <label for="report-reason">${s.reportLabel}</label>
        <textarea
          id="report-reason"
          rows="2"
          required
          .value=${this.reason}
          @input=${(e: Event) => (this.reason = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <div class="form-actions">
          <button type="button" class="button secondary" @click=${() => this.closeMenu(true)}>${s.cancel}</button>
          <button type="submit" class="button primary" ?disabled=${this.busy}>${s.reportSend}</button>
        </div>
      </form>`;
    }
    const item = (label: string, run: (session: RoomSession) => Promise<void>, danger = false): TemplateResult =>
      html`<button type="button" role="menuitem" class="menu-item ${danger ? 'danger' : ''}" tabindex="-1" @click=${() => void this.act(run)}>${label}</button>`;
    const sender = m.sender;
    const list: TemplateResult[] = [];
    if (actions.includes('delete')) list.push(item(s.delete, (session) => session.deleteMessage(m.seq), true));
    if (actions.includes('pin')) list.push(item(s.pin, (session) => session.pin(m.seq)));
    if (actions.includes('mute') && sender) {
      MUTE_MS.forEach((ms, i) => list.push(item(s.mute[i] ?? '', (session) => session.mute(sender.userId, ms))));
    }
    if (actions.includes('report')) {
      list.push(
        html`<button type="button" role="menuitem" class="menu-item" tabindex="-1" @click=${() => this.askReason(m.seq)}>${s.report}</button>`,
      );
    }
    return html`<div class="menu" role="menu" part="message-menu" aria-labelledby=${`menu-button-${m.seq}`} @keydown=${this.onMenuKeydown}>${list}</div>`;
  }

  /** The host's controls under the header: the slow-mode selector. */
  renderControls(): TemplateResult | typeof nothing {
    const room = this.options.room.room;
    if (!room || room.status !== 'ACTIVE') return nothing;
    const s = this.s;
    const f = this.options.locale.format;
    // The server may have turned on a value the selector does not list (auto slow mode): show it too.
    const values: readonly number[] = SLOW_MODE_MS.includes(room.slowModeMs as (typeof SLOW_MODE_MS)[number])
      ? SLOW_MODE_MS
      : [...SLOW_MODE_MS, room.slowModeMs].sort((a, b) => a - b);
    const options = values.map(
      (ms) =>
        html`<option value=${ms} ?selected=${ms === room.slowModeMs}>${ms === 0 ? s.slowModeOff : s.slowModeEvery(f.count(ms / 1000))}</option>`,
    );
    return html`<label class="slow-mode-control" part="slow-mode-control">
        <span>${s.slowModeLabel}</span>
        <select ?disabled=${this.busy} @change=${this.onSlowModeChange}>
          ${options}
        </select>
      </label>
      ${this.renderReports()}`;
  }

  // The seller's reports (GET …/reports): a count that opens the list, each report with its message's number,
  // who reported it, the reason (as text), and Delete message.
  private renderReports(): TemplateResult {
    if (!this.reportsAsked) void this.loadReports();
    const s = this.s;
    const list = this.reports ?? [];
    const toggle = html`<button
      type="button"
      class="link-button"
      part="reports-button"
      aria-expanded=${this.reportsOpen ? 'true' : 'false'}
      aria-controls="reports-list"
      @click=${this.toggleReports}
    >
      ${s.reports(list.length, this.options.locale.format.count(list.length))}
    </button>`;
    if (!this.reportsOpen) return toggle;
    const items = list.map(
      (r) => html`<li>
        <span class="report-of">${s.reportOf(String(r.seq), r.reporterId)}</span>
        <span class="report-reason">${r.reason}</span>
        <button type="button" class="link-button danger" @click=${() => void this.deleteReported(r.seq)}>${s.deleteReported}</button>
      </li>`,
    );
    return html`${toggle}
      <ul id="reports-list" class="reports-list" part="reports-list">
        ${items.length > 0 ? items : html`<li>${s.reportsEmpty}</li>`}
      </ul>`;
  }

  private readonly toggleReports = (): void => {
    this.reportsOpen = !this.reportsOpen;
    if (this.reportsOpen) void this.loadReports();
    this.options.menu.changed();
  };

  private async loadReports(): Promise<void> {
    this.reportsAsked = true;
    const session = this.options.room.session;
    if (!session) return;
    try {
      this.reports = await session.reports();
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
    }
    this.options.menu.changed();
  }

  private async deleteReported(seq: number): Promise<void> {
    if (await this.act((session) => session.deleteMessage(seq), false)) await this.loadReports();
  }

  private readonly onSlowModeChange = (e: Event): void => {
    const value = Number((e.target as HTMLSelectElement).value);
    void this.act((session) => session.setSlowMode(value), false);
  };

  private askReason(seq: number): void {
    this.reporting = seq;
    this.reason = '';
    this.options.menu.changed();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('#report-reason')?.focus());
  }

  private submitReport(e: Event, seq: number): void {
    e.preventDefault();
    const reason = this.reason.trim();
    if (reason.length === 0) return;
    void this.act((session) => session.report(seq, reason)).then((ok) => {
      if (ok) this.status = this.s.reported;
    });
  }

  // Runs one action on the session: one at a time, the menu closes (focus back on its button), a refusal
  // goes to the chat's error banner. Resolves true when it succeeded.
  private async act(run: (session: RoomSession) => Promise<void>, fromMenu = true): Promise<boolean> {
    const session = this.options.room.session;
    if (!session || this.busy) return false;
    this.busy = true;
    this.status = '';
    this.options.menu.changed();
    try {
      await run(session);
      if (fromMenu) this.closeMenu(true);
      return true;
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
      return false;
    } finally {
      this.busy = false;
      this.options.menu.changed();
    }
  }

  private closeMenu(restoreFocus: boolean): void {
    this.reporting = null;
    this.reason = '';
    this.options.menu.close(restoreFocus);
  }

  // Arrow keys move between the items, Home and End jump, Escape closes and gives the focus back.
  private readonly onMenuKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.closeMenu(true);
      return;
    }
    const menu = e.currentTarget as HTMLElement;
    const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    if (items.length === 0) return;
    const at = items.indexOf(e.target as HTMLElement);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = (at + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (at - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    if (next === null) return;
    e.preventDefault();
    items[next]?.focus();
  };
}
