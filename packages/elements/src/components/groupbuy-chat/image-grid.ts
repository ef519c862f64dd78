import { html, nothing, type TemplateResult } from 'lit';
import type { ViewMessage } from '@groupbuy/sdk';
import type { Formats, Strings } from '../../internal/i18n.js';

/**
 * A chat message's photos (issue 12): a grid of the previews, each a button that opens the lightbox (a lazily
 * loaded chunk) on that photo. The server's image URLs are paths on the chat server (a local copy's are
 * absolute already), resolved against `baseUrl`. The `width`/`height` attributes keep the layout from
 * jumping while the previews load; `loading="lazy"` leaves the ones far up the history unloaded. A
 * tombstone shows none.
 */
export function renderImages(m: ViewMessage, baseUrl: string, t: Strings, f: Formats): TemplateResult | typeof nothing {
  const list = m.attachments ?? [];
  if (m.deleted || list.length === 0) return nothing;
  const open = (e: Event, index: number): void => {
    const trigger = e.currentTarget as HTMLElement;
    void import('./lightbox.js').then((lb) => lb.openLightbox(trigger, list, index, baseUrl, f.lang));
  };
  // A button's name is its photo's alt text (a photo without one is still named, by its place). The list
  // is outside any form, so a button's default type does nothing.
  const buttons = list.map(
    (a, i) =>
      html`<button class="image" part="image" @click=${(e: Event) => open(e, i)}>
        <img src=${new URL(a.previewUrl, baseUrl).href} width=${a.width} height=${a.height} loading="lazy" alt=${a.alt || `${t.photo} ${f.count(i + 1)}`} />
      </button>`,
  );
  return html`<div class="images n${list.length}" part="images">${buttons}</div>`;
}
