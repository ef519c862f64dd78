import { html, nothing, type TemplateResult } from 'lit';
import { toChatError, type Invite } from '@groupbuy/protocol';
import { inviteUrl } from '@groupbuy/sdk';
import { closeIcon } from '../../internal/icons.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import type { InviteButtonOptions } from './invite-button.js';
import { inviteFlowStrings } from './invite-flow.strings.js';
import { inviteFlowStyles } from './invite-flow.styles.js';
import type { PartHost } from './part-host.js';

/** How long "Link copied" stays, in ms. */
const COPIED_MS = 4000;

/** Where an invite is: at rest, asking for the code, link copied, or the link shown to copy by hand. */
export type InviteState =
  { readonly kind: 'idle' } | { readonly kind: 'busy' } | { readonly kind: 'copied' } | { readonly kind: 'manual'; readonly url: string };

/**
 * The invite button and what it does (a chunk of its own, see invite-button.ts): gets the user's
 * invite code (`session.invite()`, the same code every time, so it is asked once per session), builds the
 * product page's link with `gb_ref`, and hands it to the Web Share API where there is one, else copies it
 * ("Link copied" in the button's polite live region); when the clipboard is refused too, the link shows
 * in a read-only field, selected, to copy by hand.
 */
export class InviteFlow {
  /** Where the invite is. */
  state: InviteState = { kind: 'idle' };

  private timer: ReturnType<typeof setTimeout> | undefined;
  private code: { session: unknown; invite: Invite } | null = null;

  constructor(
    private readonly host: PartHost,
    private readonly options: InviteButtonOptions,
  ) {
    adoptLazyStyles(host.renderRoot, inviteFlowStyles);
    host.addController({ hostDisconnected: () => clearTimeout(this.timer) });
  }

  /** Shares or copies the link (a press while one runs is ignored). */
  async run(): Promise<void> {
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
  }

  /** The button, its live region ("Link copied") and, after a refused clipboard, the field with the link. */
  render(): TemplateResult {
    const { t, format } = this.options.locale;
    const s = inviteFlowStrings(format.lang);
    const state = this.state;
    return html`<button class="chip-button" part="invite-button" aria-busy=${state.kind === 'busy'} @click=${() => void this.run()}>
        ${s.invite}
      </button>
      <span class="invite-status" part="invite-status" role="status">${state.kind === 'copied' ? s.linkCopied : ''}</span>${
        state.kind === 'manual' ? this.renderField(state.url, s.copyLinkByHand, t.dismiss) : nothing
      }`;
  }

  private renderField(url: string, label: string, dismiss: string): TemplateResult {
    return html`<span class="invite-manual">
      <label for="invite-link">${label}</label>
      <input id="invite-link" part="invite-link" readonly .value=${url} @focus=${selectAll} />
      <button class="icon-button" aria-label=${dismiss} @click=${this.dismiss}>${closeIcon}</button>
    </span>`;
  }

  private readonly dismiss = (): void => {
    this.set({ kind: 'idle' });
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('[part~="invite-button"]')?.focus());
  };

  private set(state: InviteState): void {
    clearTimeout(this.timer);
    this.state = state;
    if (this.host.isConnected) this.host.requestUpdate();
  }
}

function selectAll(e: FocusEvent): void {
  (e.target as HTMLInputElement).select();
}
