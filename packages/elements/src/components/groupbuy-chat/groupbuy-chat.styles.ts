import { css } from 'lit';
import { themeStyles } from '../../internal/theme.styles.js';
import { bannerStyles } from './banners.styles.js';
import { headerStyles } from './chat-header.styles.js';
import { inviteStyles } from './invite-button.styles.js';
import { composerStyles } from './composer.styles.js';
import { listStyles } from './message-list.styles.js';
import { rowStyles } from './message-row.styles.js';
import { panelStyles } from './participants-panel.styles.js';

/** The card and its column, and the controls several parts use (buttons, skeletons, spinners). */
const chatStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    position: relative;
    height: var(--groupbuy-height, 600px);
    min-height: 320px;
    overflow: hidden;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    /* Korean wraps between words (어절), never inside one; a long URL still breaks rather than overflow. */
    word-break: keep-all;
    overflow-wrap: break-word;
  }

  /* Launcher mode: no card in the page, even before the launcher's chunk (and its styles) arrived. */
  :host([mode='launcher']) {
    display: contents;
  }

  /* The layout lives on this frame, not on :host: a page that sets "display" on the element (block,
     grid …) changes only how the card sits in the page, never the column inside it. */
  .frame {
    flex: 1 1 auto;
    display: flex;
    flex-direction: column;
    width: 100%;
    height: 100%;
    min-height: 0;
    /* With display:block the host has a height, and 100% follows it; as a flex item, flex does. */
    position: relative;
  }

  .button {
    flex: none;
    min-height: 40px;
    padding: 0 18px;
    border-radius: calc(var(--_radius) * 0.75);
    border: 1px solid transparent;
    font-size: 14px;
    font-weight: 700;
    white-space: nowrap;
    transition: filter 0.15s ease, background 0.15s ease;
  }

  .button.primary {
    color: var(--_accent-text);
    background: var(--_accent);
  }

  .button.primary:hover:not(:disabled) {
    filter: brightness(1.08);
  }

  .button.secondary {
    color: var(--_text);
    background: var(--_bg);
    border-color: var(--_border);
  }

  .button.secondary:hover:not(:disabled) {
    border-color: var(--_muted);
  }

  .button:disabled {
    opacity: 0.55;
  }

  .skeleton {
    border-radius: 8px;
    background: linear-gradient(90deg, var(--_border) 0%, var(--_surface) 50%, var(--_border) 100%);
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }

  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }

  .spinner {
    flex: none;
    width: 14px;
    height: 14px;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }

  .spinner.small {
    width: 11px;
    height: 11px;
    color: var(--_muted);
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (max-width: 420px) {
    .button {
      padding: 0 14px;
    }
  }
`;

/**
 * Styles of `<groupbuy-chat>`, in cascade order: the shared tokens ({@link themeStyles}), the card, then
 * each part's own sheet beside its module.
 */
export const styles = [
  themeStyles,
  chatStyles,
  headerStyles,
  inviteStyles,
  panelStyles,
  bannerStyles,
  listStyles,
  rowStyles,
  composerStyles,
];
