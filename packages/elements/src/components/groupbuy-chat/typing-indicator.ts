import { html, nothing, type TemplateResult } from 'lit';
import type { Viewer } from '@groupbuy/protocol';
import type { Formats, Strings } from '../../internal/i18n.js';

/**
 * The "민지님이 입력 중…" / "Minji is typing…" line above the composer (issue 12): up to two names, then a
 * count of the others. Empty (but kept in the layout, so the list does not jump) when nobody types. Polite
 * live region: a screen reader hears it once per change, not per keystroke (the SDK throttles and expires).
 */
export function renderTypingLine(users: readonly Viewer[], t: Strings, f: Formats): TemplateResult {
  const names = users.slice(0, 2).map((u) => u.name);
  const text = users.length === 0 ? nothing : t.typing(names, f.count(users.length - names.length));
  return html`<div class="typing" part="typing" role="status" aria-live="polite">${text}</div>`;
}
