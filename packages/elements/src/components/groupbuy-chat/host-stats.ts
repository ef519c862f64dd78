import { html, nothing, type TemplateResult } from 'lit';
import { toChatError, type ErrorInfo, type RoomStats } from '@groupbuy/protocol';
import type { Formats } from '../../internal/i18n.js';
import { hostStatsStrings, type HostStatsStrings } from './host-stats.strings.js';
import { closeIcon } from '../../internal/icons.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import type { HostStatsOptions } from './host-stats-toggle.js';
import { hostStatsStyles } from './host-stats.styles.js';
import type { PartHost } from './part-host.js';
import { renderSparkline } from './sparkline.js';

/** Where the stats view is: asking the server (keeping the last numbers on a refresh), showing numbers, or failed. */
export type HostStatsState =
  | { readonly kind: 'loading'; readonly last: RoomStats | null }
  | { readonly kind: 'ready'; readonly stats: RoomStats; readonly at: string }
  | { readonly kind: 'failed'; readonly error: ErrorInfo };

/**
 * The seller's funnel inside the widget (a chunk of its own, see host-stats-toggle.ts): unique viewers,
 * chatters, joins, leaves, messages per minute, median time from first view to join, time to fill, the top
 * three inviters and one sparkline of participants over time, from `session.stats()`. Opening asks the
 * server, so does Refresh; a refusal (FORBIDDEN …) shows in the view and in the chat's error banner.
 * Escape, the close button and the Stats button close it, and focus goes back to the Stats button.
 */
export class HostStatsPanel {
  /** Where the view is. */
  state: HostStatsState = { kind: 'loading', last: null };
  /** The view is open. */
  open = false;

  private generation = 0;

  constructor(
    private readonly host: PartHost,
    private readonly options: HostStatsOptions,
  ) {
    adoptLazyStyles(host.renderRoot, hostStatsStyles);
  }

  /** The header's "Stats" button (`aria-expanded` while the view is open). */
  renderButton(): TemplateResult {
    return html`<button class="chip-button" part="stats-button" aria-expanded=${this.open} aria-controls="host-stats" @click=${this.toggle}>
      ${hostStatsStrings(this.options.locale.format.lang).button}
    </button>`;
  }

  /** Opens the view (and asks for the numbers, focusing the view), or closes it. */
  private readonly toggle = (): void => {
    if (this.open) {
      this.close();
      return;
    }
    this.open = true;
    void this.load();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('#host-stats')?.focus());
  };

  /** Asks the server for the numbers (again); an answer to an older request is dropped. */
  async load(): Promise<void> {
    const session = this.options.room.session;
    if (!session) return;
    const generation = ++this.generation;
    this.set({
      kind: 'loading',
      last: this.state.kind === 'ready' ? this.state.stats : this.state.kind === 'loading' ? this.state.last : null,
    });
    try {
      const stats = await session.stats();
      if (generation === this.generation) this.set({ kind: 'ready', stats, at: new Date().toISOString() });
    } catch (err) {
      if (generation !== this.generation) return;
      const error = toChatError(err).toInfo();
      this.set({ kind: 'failed', error });
      this.options.onError(error);
    }
  }

  /** The view, a labelled dialog over the message list; nothing while closed (or when the session is not the seller's any more). */
  render(): TemplateResult | typeof nothing {
    if (!this.open || !this.options.room.session?.isHost) return nothing;
    const { t, format: f } = this.options.locale;
    const s = hostStatsStrings(f.lang);
    const state = this.state;
    const stats = state.kind === 'ready' ? state.stats : state.kind === 'loading' ? state.last : null;
    const keydown = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      this.close();
    };
    return html`<section
      id="host-stats"
      class="panel stats-panel"
      part="stats-panel"
      role="dialog"
      aria-labelledby="host-stats-title"
      aria-busy=${state.kind === 'loading' ? 'true' : 'false'}
      tabindex="-1"
      @keydown=${keydown}
    >
      <div class="stats-head">
        <h3 id="host-stats-title">${s.title}</h3>
        <button class="link-button" part="stats-refresh" ?disabled=${state.kind === 'loading'} @click=${() => void this.load()}>
          ${s.refresh}
        </button>
        <button class="icon-button" aria-label=${t.dismiss} @click=${this.close}>${closeIcon}</button>
      </div>
      ${
        stats
          ? renderNumbers(stats, this.options.room.room?.maxParticipants ?? 0, s, f)
          : state.kind === 'failed'
            ? html`<p class="stats-note" part="stats-error">${s.failed} · ${t.error(state.error.code)}</p>`
            : html`<p class="stats-note"><span class="spinner small" aria-hidden="true"></span> ${s.loading}</p>`
      }
      ${state.kind === 'ready' ? html`<p class="stats-note">${s.asOf(f.clock(state.at))}</p>` : nothing}
    </section>`;
  }

  private readonly close = (): void => {
    this.open = false;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="stats-button"]')?.focus());
  };

  private set(state: HostStatsState): void {
    this.state = state;
    if (this.host.isConnected) this.host.requestUpdate();
  }
}

/** The numbers, the sparkline and the top inviters of `stats`; `max` is the deal's cap (the sparkline's top). */
export function renderNumbers(stats: RoomStats, max: number, s: HostStatsStrings, f: Formats): TemplateResult {
  const duration = (ms: number | null): string => (ms === null ? s.notYet : f.duration(ms));
  const rows: Array<[keyof RoomStats, string, string]> = [
    ['uniqueViewers', s.uniqueViewers, f.count(stats.uniqueViewers)],
    ['chatters', s.chatters, f.count(stats.chatters)],
    ['joiners', s.joiners, f.count(stats.joiners)],
    ['leavers', s.leavers, f.count(stats.leavers)],
    ['messagesPerMinute', s.messagesPerMinute, f.count(Math.round(stats.messagesPerMinute * 10) / 10)],
    ['medianViewToJoinMs', s.medianViewToJoin, duration(stats.medianViewToJoinMs)],
    ['timeToFillMs', s.timeToFill, duration(stats.timeToFillMs)],
  ];
  const series = stats.participantsOverTime;
  const counts = series.map((p) => p.count);
  const cells = rows.map(([key, label, value]) => html`<div class="stat"><dt>${label}</dt><dd data-stat=${key}>${value}</dd></div>`);
  const inviters = stats.inviters
    .slice(0, 3)
    .map(
      (i) =>
        html`<li><span class="inviter-name">${i.name}</span> <span class="inviter-joins">${s.inviterJoins(f.count(i.joins))}</span></li>`,
    );
  return html`<dl class="stats-grid">${cells}</dl>
    ${
      series.length > 0
        ? renderSparkline(
            series,
            max,
            s.sparkline(f.count(counts[0] ?? 0), f.count(counts[counts.length - 1] ?? 0), f.count(Math.max(...counts)), f.count(max)),
          )
        : nothing
    }
    <h4>${s.topInviters}</h4>
    ${
      inviters.length > 0
        ? html`<ol class="inviters" part="stats-inviters">
          ${inviters}
        </ol>`
        : html`<p class="stats-note">${s.noInviters}</p>`
    }`;
}
