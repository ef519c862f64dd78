import { html, nothing, render } from 'lit';
import type { Attachment } from '@groupbuy/protocol';
import type { Lang } from '../../internal/i18n.js';
import { chevronIcon, closeIcon } from '../../internal/icons.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import { photoStrings } from './attach-strings.js';
import { lightboxStyles } from './lightbox.styles.js';

/**
 * Opens the photos of one message full size in a modal `<dialog>` (part `lightbox`) beside `trigger`: the
 * full image (`url`) with its alt text as caption, previous/next buttons and the arrow keys, a close button,
 * Escape and a click on the backdrop to close. The modal dialog keeps focus inside it (the rest of the page
 * is inert while it is open); closing returns focus to `trigger`. The image URLs are resolved against `baseUrl`.
 */
export function openLightbox(
  trigger: HTMLElement,
  images: readonly Attachment[],
  start: number,
  baseUrl: string,
  lang: Lang,
): HTMLDialogElement {
  const s = photoStrings(lang);
  const root = trigger.getRootNode();
  adoptLazyStyles(root, lightboxStyles);
  const dialog = document.createElement('dialog');
  dialog.className = 'lightbox';
  dialog.setAttribute('part', 'lightbox');
  dialog.setAttribute('aria-label', s.viewer);
  let index = start;
  const go = (step: number): void => {
    index = (index + step + images.length) % images.length;
    draw();
  };
  const many = images.length > 1;
  const draw = (): void => {
    const a = images[index];
    if (!a) return;
    render(
      html`<figure class="lb-figure">
          <img class="lb-image" part="lightbox-image" src=${new URL(a.url, baseUrl).href} width=${a.width} height=${a.height} alt=${a.alt} />
          <figcaption class="lb-caption" part="lightbox-caption">
            ${a.alt}${many ? html`<span class="lb-position">${s.position(String(index + 1), String(images.length))}</span>` : nothing}
          </figcaption>
        </figure>
        ${
          many
            ? html`<button type="button" class="lb-button lb-prev" part="lightbox-previous" aria-label=${s.previous} @click=${() => go(-1)}>
                ${chevronIcon}
              </button>
              <button type="button" class="lb-button lb-next" part="lightbox-next" aria-label=${s.next} @click=${() => go(1)}>
                ${chevronIcon}
              </button>`
            : nothing
        }
        <button type="button" class="lb-button lb-close" part="lightbox-close" aria-label=${s.close} @click=${() => dialog.close()}>
          ${closeIcon}
        </button>`,
      dialog,
    );
  };
  dialog.addEventListener('keydown', (e) => {
    // Escape also closes a modal dialog natively (cancel); handled here too so one code path closes it.
    if (e.key === 'Escape') dialog.close();
    else if (many && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) go(e.key === 'ArrowLeft' ? -1 : 1);
    else return;
    e.preventDefault();
  });
  // A click outside the picture and the buttons lands on the dialog itself (the backdrop area).
  dialog.addEventListener('click', (e) => {
    const target = e.target as Element;
    if (target === dialog || target.classList.contains('lb-figure')) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (trigger.isConnected) trigger.focus();
  });
  draw();
  (root instanceof ShadowRoot ? root : document.body).append(dialog);
  dialog.showModal();
  dialog.querySelector<HTMLElement>('.lb-close')?.focus();
  return dialog;
}
