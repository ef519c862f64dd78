import { html, nothing, type TemplateResult } from 'lit';
import { toChatError, type ErrorInfo, type Room } from '@groupbuy/protocol';
import { chevronIcon, noticeIcon } from '../../internal/icons.js';
import { noticeContent } from '../../internal/rich-text.js';
import type { ModerationStrings } from './moderation-ui.strings.js';
import type { PartHost } from './part-host.js';

/** The sessionStorage key under which a room remembers the seq of the pinned notice its reader folded. */
export function pinnedStorageKey(productId: string): string {
  return `groupbuy-chat:pinned-folded:${productId}`;
}

/** What the pinned notice needs on each render. */
export interface PinnedView {
  /** The room (the chat's, or the public feed's for a signed-out visitor), or null. */
  readonly room: Room | null;
  /** The moderation chunk's strings. */
  readonly t: ModerationStrings;
  /** Takes the pin down (the host and the service), or undefined for everyone else. */
  readonly unpin: (() => Promise<void>) | undefined;
  /** Shows a refused unpin in the chat's error banner. */
  readonly onError: (error: ErrorInfo) => void;
}

/**
 * Issue 11's pinned notice under the header: the room's `pinned` NOTIFICATION for every reader, signed-out
 * visitors included, rendered like any notice (Markdown through the lazily loaded rich-notice path). The
 * reader may fold it to one line; the fold is remembered per room for the tab (sessionStorage), and a newly
 * pinned notice opens again.
 */
export class PinnedNotice {
  constructor(private readonly host: PartHost & { productId: string }) {}

  private folded(seq: number): boolean {
    try {
      return sessionStorage.getItem(pinnedStorageKey(this.host.productId)) === String(seq);
    } catch {
      return false; // storage blocked (a sandboxed frame): never folded
    }
  }

  private readonly toggle = (seq: number): void => {
    try {
      const key = pinnedStorageKey(this.host.productId);
      if (this.folded(seq)) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, String(seq));
    } catch {
      // Without storage the fold cannot be kept; there is nothing else to do.
    }
    this.host.requestUpdate();
  };

  /** The pinned notice, or nothing when the room has none. */
  render(view: PinnedView): TemplateResult | typeof nothing {
    const pinned = view.room?.pinned;
    if (!pinned || pinned.deleted) return nothing;
    const { t, unpin } = view;
    const open = !this.folded(pinned.seq);
    return html`<section class="pinned" part="pinned-notice" aria-label=${t.pinned}>
      <button
        class="pinned-toggle"
        part="pinned-toggle"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="pinned-body"
        @click=${() => this.toggle(pinned.seq)}
      >
        ${noticeIcon}<span>${t.pinned}</span>
        <span class="pinned-preview">${open ? nothing : pinned.content.split('\n')[0]}</span>
        <span class="chevron">${chevronIcon}</span>
      </button>
      <div id="pinned-body" class="content" part="pinned-body" ?hidden=${!open}>${noticeContent(pinned.content)}</div>
      ${
        unpin
          ? html`<button class="link-button" part="unpin-button" @click=${() => unpin().catch((err: unknown) => view.onError(toChatError(err).toInfo()))}>
            ${t.unpin}
          </button>`
          : nothing
      }
    </section>`;
  }
}
