import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../../internal/i18n.js';
import { alertIcon, closeIcon, offlineIcon } from '../../internal/icons.js';
import type { RoomController } from '../../internal/room-controller.js';
import { restoredWhileDown } from './message-list.js';

/**
 * The connection banner under the header: "sign in again" (with the `auth-required` slot) once the room
 * has loaded, "reconnecting…" or "offline"; nothing while the connection is fine or nobody is signed in.
 */
export function renderConnectionBanner(ctl: RoomController, t: Strings): TemplateResult | typeof nothing {
  if (!ctl.session || ctl.phase === 'signed-out') return nothing;
  // With nothing loaded, the message area says it instead (MessageList): one place, one slot.
  if (ctl.state === 'auth-required' && ctl.phase !== 'error') {
    return html`<div class="banner auth" part="banner auth-banner">
      ${alertIcon}<span class="banner-text"><strong>${t.authRequired}</strong><span class="banner-detail">${t.authRequiredHint}</span></span>
      <slot name="auth-required"></slot>
    </div>`;
  }
  // Before a connection ever opened the state is `connecting`, and a plain-WS transport is `open` before any
  // socket is (its sockets open with the room's subscribe, after the load): with the restored sends on show
  // after a failed load, the reader needs to hear that the chat keeps trying (the session loads again).
  if (ctl.state === 'reconnecting' || ((ctl.state === 'connecting' || ctl.state === 'open') && restoredWhileDown(ctl))) {
    return html`<div class="banner warning" part="banner connection-banner"><span class="spinner" aria-hidden="true"></span><span class="banner-text">${t.reconnecting}</span></div>`;
  }
  if (ctl.state === 'offline') {
    return html`<div class="banner warning" part="banner connection-banner">${offlineIcon}<span class="banner-text">${t.offline}</span></div>`;
  }
  return nothing;
}

/** The dismissible error banner for `notice` (a sentence), or nothing. */
export function renderErrorBanner(notice: string | null, t: Strings, dismiss: () => void): TemplateResult | typeof nothing {
  if (!notice) return nothing;
  return html`<div class="banner error" part="banner error-banner" role="alert">
    ${alertIcon}<span class="banner-text">${notice}</span>
    <button class="icon-button" aria-label=${t.dismiss} @click=${dismiss}>${closeIcon}</button>
  </div>`;
}
