import { css, unsafeCSS } from 'lit';

// The dark palette, applied by `theme="dark"` and by the OS preference (unless `theme="light"`).
// A bare list of declarations is no stylesheet, so it is not a css`` literal (the bundle's CSS minifier
// reads those); it is minified where it lands, inside the two rules below.
const darkTokens = unsafeCSS(`
    --_bg: var(--groupbuy-bg, #16181d);
    --_surface: var(--groupbuy-surface, #1d2027);
    --_text: var(--groupbuy-text, #e9ebef);
    --_muted: var(--groupbuy-muted, #a3abb9);
    --_border: var(--groupbuy-border, #2f343e);
    --_accent: var(--groupbuy-accent, #8ea2ff);
    --_accent-text: var(--groupbuy-accent-contrast, #0b1020);
    --_accent-soft: var(--groupbuy-accent-soft, #252c47);
    --_bubble: var(--groupbuy-bubble, #2a2e37);
    --_own-bubble: var(--groupbuy-own-bubble, #3b5bdb);
    --_own-text: var(--groupbuy-own-bubble-text, #ffffff);
    --_danger: var(--groupbuy-danger, #ff8a80);
    --_danger-soft: var(--groupbuy-danger-soft, #3a1f1f);
    --_success: var(--groupbuy-success, #6fdc9c);
    --_success-soft: var(--groupbuy-success-soft, #17311f);
    --_warning: var(--groupbuy-warning, #ffb36b);
    --_warning-soft: var(--groupbuy-warning-soft, #3a2a17);
    --_notice-bg: var(--groupbuy-notice-bg, #2f2a1a);
    --_notice-border: var(--groupbuy-notice-border, #6b5a22);
    --_focus: var(--groupbuy-focus-ring, #8ea2ff);
    --_shadow: 0 1px 2px rgb(0 0 0 / 0.4);
    --_avatar-lightness: 0.8;
    --_avatar-text: #14161a;
    color-scheme: dark;
`);

/**
 * The design tokens both widgets share. Each `--groupbuy-*` property a page sets wins in light and dark
 * alike; unset ones fall back to the light or dark default. `--_*` are private.
 * Dark applies with `theme="dark"`, or with the OS preference unless `theme="light"`.
 *
 * The one place these properties are documented (one line each, no defaults: those are read from the CSS
 * below). scripts/gen-elements-docs.mjs gives every element the ones its stylesheets read, in its
 * custom-elements.json entry and docs/elements.md, and fails when a token here goes undocumented or unread.
 *
 * @cssproperty --groupbuy-font-family - Font stack.
 * @cssproperty --groupbuy-font-size - Base font size.
 * @cssproperty --groupbuy-radius - Corner radius; bubbles, buttons and chips scale from it.
 * @cssproperty --groupbuy-bg - Background.
 * @cssproperty --groupbuy-surface - Raised surfaces: the chat's header and text field, the list's watcher chips.
 * @cssproperty --groupbuy-text - Text colour.
 * @cssproperty --groupbuy-muted - Secondary text.
 * @cssproperty --groupbuy-border - Borders and dividers.
 * @cssproperty --groupbuy-accent - Buttons, progress, links, tags and counts.
 * @cssproperty --groupbuy-accent-contrast - Text on the accent.
 * @cssproperty --groupbuy-accent-soft - Light accent background.
 * @cssproperty --groupbuy-bubble - Other people's bubbles.
 * @cssproperty --groupbuy-bubble-text - Text in other people's bubbles.
 * @cssproperty --groupbuy-own-bubble - The reader's own bubbles.
 * @cssproperty --groupbuy-own-bubble-text - Text in the reader's own bubbles.
 * @cssproperty --groupbuy-danger - Errors and the cancelled badge.
 * @cssproperty --groupbuy-danger-soft - Background of errors and failed bubbles.
 * @cssproperty --groupbuy-success - The open badge and a filled bar.
 * @cssproperty --groupbuy-success-soft - Background of the open badge.
 * @cssproperty --groupbuy-warning - An urgent countdown, the connection banner.
 * @cssproperty --groupbuy-warning-soft - Background of the connection banner.
 * @cssproperty --groupbuy-notice-bg - Notification cards.
 * @cssproperty --groupbuy-notice-border - Border of notification cards.
 * @cssproperty --groupbuy-focus-ring - Keyboard focus outline.
 */
export const themeStyles = css`
  :host {
    --_font: var(
      --groupbuy-font-family,
      system-ui, -apple-system, BlinkMacSystemFont, 'Apple SD Gothic Neo', 'Pretendard', 'Noto Sans KR',
      'Malgun Gothic', '맑은 고딕', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif
    );
    --_radius: var(--groupbuy-radius, 16px);
    --_bg: var(--groupbuy-bg, #ffffff);
    --_surface: var(--groupbuy-surface, #f7f8fa);
    --_text: var(--groupbuy-text, #1b1d22);
    --_muted: var(--groupbuy-muted, #5f6672);
    --_border: var(--groupbuy-border, #e4e7ec);
    --_accent: var(--groupbuy-accent, #3b5bdb);
    --_accent-text: var(--groupbuy-accent-contrast, #ffffff);
    --_accent-soft: var(--groupbuy-accent-soft, #edf1ff);
    --_bubble: var(--groupbuy-bubble, #f1f3f5);
    --_bubble-text: var(--groupbuy-bubble-text, var(--_text));
    --_own-bubble: var(--groupbuy-own-bubble, var(--_accent));
    --_own-text: var(--groupbuy-own-bubble-text, var(--_accent-text));
    --_danger: var(--groupbuy-danger, #b42318);
    --_danger-soft: var(--groupbuy-danger-soft, #fdecec);
    --_success: var(--groupbuy-success, #0f7a3d);
    --_success-soft: var(--groupbuy-success-soft, #e6f7ee);
    --_warning: var(--groupbuy-warning, #c2410c);
    --_warning-soft: var(--groupbuy-warning-soft, #fff4e5);
    --_notice-bg: var(--groupbuy-notice-bg, #fff8e1);
    --_notice-border: var(--groupbuy-notice-border, #f2d27a);
    --_focus: var(--groupbuy-focus-ring, #3b5bdb);
    --_shadow: 0 1px 2px rgb(16 24 40 / 0.06), 0 1px 3px rgb(16 24 40 / 0.08);
    /* Avatars: OKLCH keeps the lightness the same for every hue, so white (dark) text stays readable. */
    --_avatar-lightness: 0.5;
    --_avatar-text: #ffffff;

    /* Nothing inherited from the page changes the widget's text; nothing here leaks out (shadow DOM). */
    font-family: var(--_font);
    font-size: var(--groupbuy-font-size, 15px);
    font-weight: 400;
    font-style: normal;
    line-height: 1.5;
    letter-spacing: normal;
    text-align: start;
    text-transform: none;
    text-indent: 0;
    white-space: normal;
    word-spacing: normal;
    color: var(--_text);
    color-scheme: light;
    box-sizing: border-box;
    -webkit-font-smoothing: antialiased;
    -webkit-text-size-adjust: 100%;
  }

  :host([theme='dark']) {
    ${darkTokens}
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }

  button:disabled {
    cursor: not-allowed;
  }

  .icon {
    flex: none;
    width: 1.15em;
    height: 1.15em;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: 50%;
    font-size: 13px;
    font-weight: 600;
    color: var(--_avatar-text);
    background: oklch(var(--_avatar-lightness) 0.13 var(--_hue, 260));
    user-select: none;
  }

  .tag {
    display: inline-flex;
    align-items: center;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 11px;
    font-weight: 600;
    line-height: 18px;
    color: var(--_accent-text);
    background: var(--_accent);
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`;

/**
 * A stable hue (0–359°) for a user id, so each person's avatar keeps its colour. FNV-1a over the UTF-16
 * code units, then murmur3's finaliser: ids that differ in one character (`u-1`, `u-2`) land far apart
 * on the wheel instead of side by side (a `h * 31 + c` hash moves them by a few degrees).
 */
export function hueOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 360;
}

/** The first letter (grapheme) of a name, for an avatar. */
export function initialOf(name: string): string {
  // A grapheme, not a code point: an emoji with a skin tone or a ZWJ sequence stays whole.
  const [first] = new Intl.Segmenter().segment(name.trim());
  return (first?.segment ?? '?').toUpperCase();
}
