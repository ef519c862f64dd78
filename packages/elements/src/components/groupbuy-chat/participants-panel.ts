import { html, nothing, type TemplateResult } from 'lit';
import type { RoomController } from '../../internal/room-controller.js';

/** What the panel shows `<participant-list>` with. */
export interface ParticipantsPanelView {
  /** The chat's room. */
  readonly room: RoomController;
  /** The language the chat speaks. */
  readonly lang: string;
  /** The chat's `theme`. */
  readonly theme: 'light' | 'dark' | undefined;
  /** Escape closes the panel. */
  readonly keydown: (e: KeyboardEvent) => void;
}

/**
 * The participants panel over the message list: `<participant-list>` handed the chat's own session (so
 * it opens no second subscription). Nothing without a session.
 */
export function renderParticipantsPanel(view: ParticipantsPanelView): TemplateResult | typeof nothing {
  const session = view.room.session;
  if (!session) return nothing;
  // Registers the tag on first open (a module is evaluated once): a chat whose panel stays shut never
  // downloads the list.
  void import('../../define/participant-list.js');
  return html`<div id="participants-panel" class="panel" part="participants-panel" @keydown=${view.keydown}>
    <participant-list
      .session=${session}
      .client=${view.room.client ?? undefined}
      product-id=${session.productId}
      lang=${view.lang}
      theme=${view.theme ?? nothing}
    ></participant-list>
  </div>`;
}
