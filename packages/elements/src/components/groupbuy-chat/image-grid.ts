import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment } from '@groupbuy/protocol';
import type { ViewMessage } from '@groupbuy/sdk';
import type { Formats, Strings } from '../../internal/i18n.js';

/** The server's image URLs are paths on the chat server (a local copy's are absolute already): made absolute against its base URL. */
export function absoluteImages(images: readonly Attachment[], baseUrl: string): Attachment[] {
  return images.map((a) => ({ ...a, previewUrl: new URL(a.previewUrl, baseUrl).href, url: new URL(a.url, baseUrl).href }));
}

/**
 * A chat message's photos (issue 12): a grid of the previews, each a button that opens the lightbox (a lazily
 * loaded chunk) on that photo. The `width`/`height` attributes keep the layout from jumping while the
 * previews load; `loading="lazy"` leaves the ones far up the history unloaded. A tombstone shows none.
 */
export function renderImages(m: ViewMessage, baseUrl: string, t: Strings, f: Formats): TemplateResult | typeof nothing {
  const list = m.deleted ? [] : (m.attachments ?? []);
  if (list.length === 0) return nothing;
  const images = absoluteImages(list, baseUrl);
  const open = (e: Event, index: number): void => {
    const trigger = e.currentTarget as HTMLElement;
    void import('./lightbox.js').then((lb) => lb.openLightbox(trigger, images, index, f.lang));
  };
  const buttons = images.map(
    (a, i) =>
      // The button's name is the photo's alt text (a photo without one is still named, by its place).
      html`<button type="button" class="image" part="image" @click=${(e: Event) => open(e, i)}>
        <img src=${a.previewUrl} width=${a.width} height=${a.height} loading="lazy" alt=${a.alt || `${t.photo} ${f.count(i + 1)}`} />
      </button>`,
  );
  return html`<div class="images n${images.length}" part="images">${buttons}</div>`;
}
