import { html, nothing, supportsAdoptingStyleSheets, svg, type ReactiveController, type TemplateResult } from 'lit';
import type { Room } from '@groupbuy/protocol';
import { GroupbuyCloseEvent } from '../../events/groupbuy-close-event.js';
import { GroupbuyOpenEvent } from '../../events/groupbuy-open-event.js';
import { trapTab } from '../../internal/focus-trap.js';
import { chatIcon, closeIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import { launcherStyles } from './launcher.styles.js';
import type { PartHost } from './part-host.js';

/** The most the badge counts; above it, it says "99+". */
const BADGE_MAX = 99;

/** The chat element, as far as its launcher mode reads and sets it. */
export interface LauncherHost extends PartHost {
  /** `launcher` shows the floating button; `panel` is the plain card. */
  mode: 'panel' | 'launcher';
  /** Whether the launcher's chat is open. */
  open: boolean;
}

/** What the launcher reads from the chat. */
export interface LauncherOptions {
  /** The chat element. */
  readonly host: LauncherHost;
  /** The chat's room: its session's unread count. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** The deal the ring shows: the session's room, or the public feed's for a signed-out visitor. */
  readonly deal: () => Room | null;
}

/**
 * The chat's launcher mode (issue 12), loaded as a chunk of its own when `mode="launcher"` first renders:
 * a floating round button with the deal's progress ring and the unread badge, and the panel the chat
 * opens in (near the button; the whole screen on a phone). While the panel is open Tab stays inside it
 * and Escape closes it; closing gives focus back to the button. Opening and closing only render the chat
 * or not: the element, its room controller and so the connection stay, and what arrives while the chat is
 * closed is unread until the reader sees the end of the list again.
 */
export class Launcher implements ReactiveController {
  // The open state the page last saw (events fire when it changes, not for the first render).
  private shown: boolean;
  private hadFocus = false;

  constructor(private readonly options: LauncherOptions) {
    this.shown = options.host.open;
    options.host.addController(this);
    adopt(options.host.renderRoot);
  }

  /** Before the DOM changes: whether focus is inside the chat, to give it back to the button on close. */
  hostUpdate(): void {
    this.hadFocus = this.options.host.matches(':focus-within');
  }

  /** After the DOM changed: on open, focus goes into the panel; on close, back to the button. */
  hostUpdated(): void {
    const { host } = this.options;
    if (host.mode !== 'launcher' || host.open === this.shown) return;
    this.shown = host.open;
    if (host.open) {
      const input = host.renderRoot.querySelector<HTMLTextAreaElement>('.launcher-panel textarea');
      (input && !input.disabled ? input : host.renderRoot.querySelector<HTMLElement>('.launcher-close'))?.focus();
      host.dispatchEvent(new GroupbuyOpenEvent());
    } else {
      if (this.hadFocus) host.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
      host.dispatchEvent(new GroupbuyCloseEvent());
    }
  }

  /** The button, the unread announcement and, while open, the panel around `chat`. */
  render(chat: () => TemplateResult): TemplateResult {
    const { host, locale, room } = this.options;
    const { t, format: f } = locale;
    const open = host.open;
    const deal = this.options.deal();
    // While the chat is open the reader sees the messages themselves; the read marker clears the count.
    const unread = open ? 0 : (room.session?.unreadCount ?? 0);
    const count = deal?.participantCount ?? 0;
    const max = deal?.maxParticipants ?? 0;
    const percent = max > 0 ? Math.min(100, (count / max) * 100) : 0;
    return html`<button
        class="launcher"
        part="launcher"
        aria-haspopup="dialog"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="launcher-panel"
        aria-label=${open ? t.launcherClose : t.launcherOpen}
        aria-describedby="launcher-progress launcher-unread"
        @click=${this.toggle}
      >
        <svg class="ring" id="launcher-progress" part="launcher-ring" viewBox="0 0 36 36" role="img"
          aria-label=${deal ? t.progressValue(f.count(count), f.count(max)) : t.loading}>
          <circle class="track" cx="18" cy="18" r="16.5" pathLength="100" />
          ${
            // A fragment inside <svg> is SVG only when written with svg``.
            percent > 0 ? svg`<circle class="fill" cx="18" cy="18" r="16.5" pathLength="100" stroke-dasharray="${percent} 100" />` : nothing
          }
        </svg>
        ${chatIcon}
        ${
          unread > 0
            ? html`<span class="launcher-badge" part="launcher-badge" aria-hidden="true">${unread > BADGE_MAX ? `${f.count(BADGE_MAX)}+` : f.count(unread)}</span>`
            : nothing
        }
      </button>
      <span id="launcher-unread" class="sr-only" aria-live="polite">${unread > 0 ? t.unread(f.count(unread)) : ''}</span>
      ${
        open
          ? html`<div
              id="launcher-panel"
              class="launcher-panel"
              part="launcher-panel"
              role="dialog"
              aria-modal="true"
              aria-label=${deal?.title ?? t.chatTitle}
              @keydown=${this.keydown}
            >
              <div class="launcher-bar">
                <button class="launcher-close" part="launcher-close" aria-label=${t.launcherClose} @click=${this.close}>${closeIcon}</button>
              </div>
              ${chat()}
            </div>`
          : nothing
      }`;
  }

  private readonly toggle = (): void => {
    this.options.host.open = !this.options.host.open;
  };

  private readonly close = (): void => {
    this.options.host.open = false;
  };

  private readonly keydown = (e: KeyboardEvent): void => {
    const panel = e.currentTarget as HTMLElement;
    if (e.key !== 'Escape') return trapTab(e, panel);
    // Escape in something of its own that it closes first (the participants panel, a dialog) is theirs.
    const path = e.composedPath();
    const inner = path.slice(0, path.indexOf(panel));
    if (e.isComposing || inner.some((n) => n instanceof Element && (n.id === 'participants-panel' || n.getAttribute('role') === 'dialog')))
      return;
    this.close();
  };
}

/** Adds the launcher's styles to the chat's shadow root, after the chat's own. */
function adopt(root: HTMLElement | DocumentFragment): void {
  const sheet = launcherStyles.styleSheet;
  if (root instanceof ShadowRoot && sheet && supportsAdoptingStyleSheets) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  // Where constructable stylesheets are missing, as Lit itself does: a <style>, with the page's CSP nonce.
  const style = document.createElement('style');
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = launcherStyles.cssText;
  root.appendChild(style);
}
