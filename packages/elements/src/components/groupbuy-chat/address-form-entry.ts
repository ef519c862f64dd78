import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { decide, decideAddress, toChatError, type ErrorInfo, type PrivateNotice } from '@groupbuy/protocol';
import { closeIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import { readerRelation } from './moderation-menu.js';
import { moderationStrings, type ModerationStrings } from './moderation-ui.strings.js';
import type { PartHost } from './part-host.js';

type AddressFormModule = typeof import('./address-form.js');

/** How often the host's count of given addresses is read again while the chat is open, in ms. */
export const ADDRESS_COUNT_REFRESH_MS = 30_000;

/** What the address entry reads from the chat and tells it. */
export interface AddressEntryOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Shows a failure in the chat's error banner. */
  readonly onError: (error: ErrorInfo) => void;
}

/**
 * The initial half of issue 11's shipping addresses: a buyer's "Add shipping address" button (the form
 * itself, address-form.ts, is imported when it opens), the host's "N shipping addresses" with the CSV
 * download, and the private hint after the PII guard masked the user's message, which points to the form.
 */
export class AddressEntry implements ReactiveController {
  /** The form is open. */
  open = false;
  /** The PII guard masked the user's last message: the hint is shown until dismissed. */
  piiHint = false;
  /** How many buyers gave an address (the host's count), or null until read. */
  count: number | null = null;
  private form: InstanceType<AddressFormModule['AddressForm']> | null = null;
  private countKey = '';
  private countTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: PartHost,
    private readonly options: AddressEntryOptions,
  ) {
    host.addController(this);
  }

  /** Before each render: the host's count is read when the room (or its buyers) changed. */
  hostUpdate(): void {
    const ctl = this.options.room;
    const session = ctl.session;
    const key = session?.isHost && ctl.phase === 'ready' ? `${session.productId}|${ctl.room?.participantCount ?? 0}` : '';
    if (key === this.countKey) return;
    this.countKey = key;
    if (key === '') {
      clearTimeout(this.countTimer);
      this.count = null;
      return;
    }
    void this.refreshCount();
  }

  /** Stops reading the count. */
  hostDisconnected(): void {
    clearTimeout(this.countTimer);
    this.countKey = '';
  }

  /** A private notice for the user: PII_MASKED shows the hint. */
  notice(notice: PrivateNotice): void {
    if (notice.kind !== 'PII_MASKED') return;
    this.piiHint = true;
    this.host.requestUpdate();
  }

  private async refreshCount(): Promise<void> {
    clearTimeout(this.countTimer);
    const session = this.options.room.session;
    if (!session?.isHost) return;
    try {
      this.count = (await session.addresses()).addresses.length;
    } catch {
      // The count is a convenience: an unreachable server shows in the connection banner already.
    }
    if (!this.host.isConnected) return;
    this.host.requestUpdate();
    this.countTimer = setTimeout(() => void this.refreshCount(), ADDRESS_COUNT_REFRESH_MS);
  }

  // Who may give an address: the server's own rule (the protocol's decideAddress), once the chat is ready.
  private get canGive(): boolean {
    const { phase, session, room } = this.options.room;
    const relation = readerRelation(this.options.room);
    return (
      phase === 'ready' &&
      relation !== null &&
      !!session &&
      !!room &&
      decideAddress('save', relation, session.isParticipant, room.status).ok
    );
  }

  // A signed-in watcher the join rule would let in (open, not full): joining is how they could give one.
  private get couldJoin(): boolean {
    const { room } = this.options.room;
    const relation = readerRelation(this.options.room);
    return relation === 'signed-in' && !!room && decide(relation, 'join', room).ok;
  }

  private get s(): ModerationStrings {
    return moderationStrings(this.options.locale.format.lang);
  }

  /** The buyer's button, or the host's count and CSV download; nothing for anyone else. */
  renderButton(): TemplateResult | typeof nothing {
    const f = this.options.locale.format;
    const t = this.s;
    if (this.options.room.session?.isHost && this.count !== null) {
      return html`<span class="address-count" part="address-count">${t.addressCount(f.count(this.count))}</span>
        <button class="link-button" part="csv-button" ?disabled=${this.count === 0} @click=${this.downloadCsv}>${t.addressCsv}</button>`;
    }
    if (!this.canGive) return nothing;
    return html`<button
      class="link-button"
      part="address-button"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-controls="address-form"
      @click=${() => (this.open ? this.close() : this.openForm())}
    >
      ${t.addressButton}
    </button>`;
  }

  /** The private hint after the PII guard masked the user's message, or nothing. */
  renderHint(): TemplateResult | typeof nothing {
    if (!this.piiHint) return nothing;
    const s = this.s;
    const text = this.canGive ? s.piiHint : this.couldJoin ? s.piiHintJoin : s.piiHintMasked;
    return html`<div class="banner info" part="banner pii-hint">
      <span class="banner-text">${text}</span>
      ${this.canGive ? html`<button class="link-button" @click=${this.openForm}>${s.addressButton}</button>` : nothing}
      <button class="icon-button" aria-label=${this.options.locale.t.dismiss} @click=${this.dismissHint}>${closeIcon}</button>
    </div>`;
  }

  /** The form over the message list while open (once its module arrived). */
  renderPanel(): unknown {
    return this.open && this.form ? this.form.render() : nothing;
  }

  /** Opens the form (importing it the first time); the focus goes into it. */
  readonly openForm = async (): Promise<void> => {
    this.piiHint = false;
    this.open = true;
    this.host.requestUpdate();
    try {
      const { AddressForm } = await import('./address-form.js');
      if (!this.open) return;
      this.form ??= new AddressForm(this.host, {
        session: () => this.options.room.session,
        locale: this.options.locale,
        onError: this.options.onError,
        close: () => this.close(),
      });
    } catch (err) {
      this.open = false;
      this.options.onError(toChatError(err).toInfo());
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('#address-form input, #address-form button')?.focus();
  };

  /** Closes the form; the focus goes back to its button. */
  close(): void {
    this.open = false;
    this.form = null;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="address-button"]')?.focus());
  }

  private readonly dismissHint = (): void => {
    this.piiHint = false;
    this.host.requestUpdate();
  };

  private readonly downloadCsv = async (): Promise<void> => {
    const session = this.options.room.session;
    if (!session) return;
    try {
      const { downloadAddressesCsv } = await import('./address-form.js');
      await downloadAddressesCsv(session);
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
    }
  };
}
