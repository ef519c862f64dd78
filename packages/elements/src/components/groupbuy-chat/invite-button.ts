import { html, nothing, svg, type ReactiveController, type TemplateResult } from 'lit';
import { toChatError, type ErrorInfo, type Invite } from '@groupbuy/protocol';
import { inviteUrl } from '@groupbuy/sdk';
import { closeIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { PartHost } from './part-host.js';

/** How long "Link copied" stays, in ms. */
const COPIED_MS = 4000;

/** Where the invite button is: at rest, asking for the code, link copied, or the link shown to copy by hand. */
export type InviteState =
  { readonly kind: 'idle' } | { readonly kind: 'busy' } | { readonly kind: 'copied' } | { readonly kind: 'manual'; readonly url: string };

/** What the invite button reads from the chat. */
export interface InviteButtonOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** The product page the link points at: the shop's `invite-url`, else this page (any old `gb_ref` is dropped). */
  readonly pageUrl: () => string;
  /** A refused invite (shown in the chat's error banner). */
  readonly onError: (error: ErrorInfo) => void;
}

// Decorative: the button's text names it.
const shareIcon = svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="2.6"/><path d="M2.5 16c.5-2.6 2.3-4 4.5-4s4 1.4 4.5 4M15 7v6M12 10h6"/></svg>`;

/**
 * "친구 초대" / "Invite friends" in the header for a signed-in shopper of an open deal: gets the user's
 * invite code (`session.invite()`, the same code every time, so it is asked once per session), builds the
 * product page's link with `gb_ref`, and hands it to the Web Share API where there is one, else copies it
 * and says "Link copied" in a polite live region; when the clipboard is refused too, the link is shown in
 * a read-only field, selected, to copy by hand.
 */
export class InviteButton implements ReactiveController {
  /** Where the button is. */
  state: InviteState = { kind: 'idle' };

  private timer: ReturnType<typeof setTimeout> | undefined;
  private code: { session: unknown; invite: Invite } | null = null;

  constructor(
    private readonly host: PartHost,
    private readonly options: InviteButtonOptions,
  ) {
    host.addController(this);
  }

  /** Stops the "Link copied" timer. */
  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** The button, its live region and (after a refused clipboard) the link field; nothing without a signed-in open deal. */
  render(): TemplateResult | typeof nothing {
    const ctl = this.options.room;
    if (!ctl.session || ctl.phase !== 'ready' || ctl.room?.status !== 'ACTIVE') return nothing;
    const t = this.options.locale.t;
    const state = this.state;
    return html`<span class="invite">
        <button class="chip-button" part="invite-button" ?disabled=${state.kind === 'busy'} aria-busy=${state.kind === 'busy' ? 'true' : 'false'} @click=${this.invite}>
          ${shareIcon}<span>${t.invite}</span>
        </button>
        <span class="invite-status" part="invite-status" role="status">${state.kind === 'copied' ? t.linkCopied : ''}</span>
      </span>
      ${
        state.kind === 'manual'
          ? html`<span class="invite-manual">
            <label for="invite-link">${t.copyLinkByHand}</label>
            <input id="invite-link" part="invite-link" readonly .value=${state.url} @focus=${selectAll} />
            <button class="icon-button" aria-label=${t.dismiss} @click=${this.dismiss}>${closeIcon}</button>
          </span>`
          : nothing
      }`;
  }

  private readonly invite = async (): Promise<void> => {
    const session = this.options.room.session;
    if (!session || this.state.kind === 'busy') return;
    this.set({ kind: 'busy' });
    let url: string;
    try {
      if (this.code?.session !== session) this.code = { session, invite: await session.invite() };
      url = inviteUrl(this.options.pageUrl(), this.code.invite);
    } catch (err) {
      this.set({ kind: 'idle' });
      this.options.onError(toChatError(err).toInfo());
      return;
    }
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: session.room?.title ?? document.title, url });
        this.set({ kind: 'idle' });
        return;
      } catch (err) {
        // The shopper closed the share sheet: nothing to say. Refused otherwise (no user activation left
        // after the request, a desktop without targets): copy instead.
        if (err instanceof DOMException && err.name === 'AbortError') {
          this.set({ kind: 'idle' });
          return;
        }
      }
    }
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      this.set({ kind: 'manual', url });
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLInputElement>('#invite-link')?.focus();
      return;
    }
    this.set({ kind: 'copied' });
    this.timer = setTimeout(() => this.set({ kind: 'idle' }), COPIED_MS);
  };

  private readonly dismiss = (): void => {
    this.set({ kind: 'idle' });
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="invite-button"]')?.focus());
  };

  private set(state: InviteState): void {
    clearTimeout(this.timer);
    this.state = state;
    this.host.requestUpdate();
  }
}

function selectAll(e: FocusEvent): void {
  (e.target as HTMLInputElement).select();
}
