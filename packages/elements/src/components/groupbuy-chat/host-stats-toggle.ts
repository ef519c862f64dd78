import { nothing, type TemplateResult } from 'lit';
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

/**
 * The seller's "Stats" button in the header and the view behind it. Both ({@link HostStatsPanel}: the
 * button, the numbers, the sparkline, their styles and words) are a chunk of their own, fetched once the
 * signed-in user turns out to be the room's seller: shoppers never download it.
 */
export class HostStatsToggle {
  private panel: HostStatsPanel | null = null;
  private fetching = false;

  constructor(
    private readonly host: PartHost,
    private readonly options: HostStatsOptions,
  ) {}

  /** The "Stats" button, for the room's seller only (nothing until its chunk arrived). */
  renderButton(): TemplateResult | typeof nothing {
    const ctl = this.options.room;
    if (!ctl.session?.isHost || ctl.phase !== 'ready') return nothing;
    if (!this.panel && !this.fetching) {
      this.fetching = true;
      void import('./host-stats.js').then(({ HostStatsPanel }) => {
        this.panel = new HostStatsPanel(this.host, this.options);
        // A widget taken off the page meanwhile is not rendered again (its controllers let go of the room).
        if (this.host.isConnected) this.host.requestUpdate();
      });
    }
    return this.panel?.renderButton() ?? nothing;
  }

  /** The open view (over the message list), or nothing. */
  renderPanel(): TemplateResult | typeof nothing {
    return this.panel?.render() ?? nothing;
  }
}
