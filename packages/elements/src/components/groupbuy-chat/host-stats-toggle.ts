import { html, nothing, svg, type ReactiveController, type TemplateResult } from 'lit';
import type { ErrorInfo } from '@groupbuy/protocol';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { HostStatsPanel } from './host-stats.js';
import type { PartHost } from './part-host.js';

/** What the stats view reads from the chat. */
export interface HostStatsOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** A refused or failed stats request (shown in the chat's error banner too). */
  readonly onError: (error: ErrorInfo) => void;
}

// Decorative: the button's text names it.
const chartIcon = svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M3 16.5h14M4.5 13l4-4.5 3 2.5 4.5-5.5"/></svg>`;

/**
 * The seller's "Stats" button in the header and the open/closed state of the stats view. The view itself
 * ({@link HostStatsPanel}: the numbers, the sparkline, its styles) is a chunk of its own, fetched on the
 * first open: shoppers, who never see it, never download it.
 */
export class HostStatsToggle implements ReactiveController {
  /** The view is open (or opening: its chunk is on its way). */
  open = false;

  private panel: HostStatsPanel | null = null;

  constructor(
    private readonly host: PartHost,
    private readonly options: HostStatsOptions,
  ) {
    host.addController(this);
  }

  /** A new room (another session) starts closed. */
  hostUpdate(): void {
    if (this.open && !this.options.room.session?.isHost) this.open = false;
  }

  /** The "Stats" button, for the room's seller only. */
  renderButton(): TemplateResult | typeof nothing {
    const ctl = this.options.room;
    if (!ctl.session?.isHost || ctl.phase !== 'ready') return nothing;
    return html`<button
      class="chip-button"
      part="stats-button"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-controls="host-stats"
      @click=${this.toggle}
    >
      ${chartIcon}<span>${this.options.locale.t.statsButton}</span>
    </button>`;
  }

  /** The open view (over the message list), or nothing. */
  renderPanel(): TemplateResult | typeof nothing {
    return this.open && this.panel ? this.panel.render({ close: this.close }) : nothing;
  }

  private readonly toggle = async (): Promise<void> => {
    if (this.open) {
      this.close();
      return;
    }
    this.open = true;
    this.host.requestUpdate();
    if (!this.panel) {
      const { HostStatsPanel } = await import('./host-stats.js');
      this.panel ??= new HostStatsPanel(this.host, this.options);
    }
    if (!this.open) return;
    void this.panel.load();
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('#host-stats')?.focus();
  };

  /** Closes the view and gives focus back to the button (Escape, the close button, the button again). */
  private readonly close = (): void => {
    this.open = false;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="stats-button"]')?.focus());
  };
}
