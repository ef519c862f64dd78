/**
 * Light Markdown for notices (loaded lazily by rich-text.ts): snarkdown turns the text into markup, and
 * DOMPurify, on an allow-list, turns that into a DocumentFragment the template inserts as is. Nothing
 * reads or edits the markup after it is sanitised.
 */
import createDOMPurify, { type Config } from 'dompurify';
import snarkdown from 'snarkdown';
import { LINK_REL } from './rich-text.js';

// An instance of its own: hooks and settings here never reach a DOMPurify the shop page uses.
const purify = createDOMPurify(window);

// Links open in a new tab that cannot reach back (set while sanitising, before the fragment is returned).
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', LINK_REL);
});

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: ['a', 'b', 'br', 'em', 'i', 'li', 'ol', 'p', 'strong', 'ul'],
  ALLOWED_ATTR: ['href'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

/** `text` as sanitised Markdown, ready to insert. */
export function renderMarkdown(text: string): DocumentFragment {
  return purify.sanitize(snarkdown(text), CONFIG);
}
