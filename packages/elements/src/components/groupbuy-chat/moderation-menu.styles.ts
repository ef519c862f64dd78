import { css } from 'lit';

/**
 * The initial sheet of issue 11's parts: the deleted bubble, a message's menu button, the pinned notice and
 * the row of tools under the header. The menu, the report form and the address form style themselves from
 * their lazy chunks (host-tools.styles.ts, address-form.styles.ts).
 */
export const moderationStyles = css`
  .deleted .bubble {
    background: transparent;
    border: 1px dashed var(--_border);
    color: var(--_muted);
    font-style: italic;
  }

  .menu-anchor {
    position: relative;
    flex: none;
    align-self: center;
  }

  .menu-button {
    width: 28px;
    height: 28px;
    opacity: 0.4;
  }

  .row:hover .menu-button,
  .menu-button:focus-visible,
  .menu-button[aria-expanded='true'] {
    opacity: 1;
  }

  .pinned {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 8px 14px;
    border-bottom: 1px solid var(--_border);
    background: var(--_accent-soft);
    font-size: 13px;
  }

  .pinned-toggle {
    display: flex;
    align-items: center;
    gap: 6px;
    min-width: 0;
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    font-weight: 700;
    text-align: start;
  }

  .pinned-preview {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    font-weight: 400;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  .pinned-toggle[aria-expanded='true'] .chevron {
    transform: rotate(180deg);
  }

  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 6px 14px;
    border-bottom: 1px solid var(--_border);
    font-size: 13px;
  }

  .tools:empty {
    display: none;
  }

  .banner.info {
    background: var(--_accent-soft);
  }

  .cooldown {
    font-size: 12px;
    font-weight: 700;
  }
`;
