import { css } from 'lit';

/** The message list (message-list.ts): the log, its history edge, placeholders, skeleton, "new messages" button. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const listStyles = css`
  .log-wrap {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }

  .log {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* The widget keeps the reader's place itself when history goes in above (message-list.ts). */
    overflow-anchor: none;
    padding: 4px 14px 12px;
    display: flex;
    flex-direction: column;
  }

  .log:focus-visible {
    outline-offset: -2px;
  }

  .history-edge {
    flex: none;
    /* A short conversation sits at the bottom, next to the composer, as in any messenger. */
    margin-top: auto;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    height: 36px;
    font-size: 12px;
    color: var(--_muted);
  }

  .placeholder {
    margin: auto;
    display: grid;
    justify-items: center;
    gap: 10px;
    max-width: 280px;
    padding: 24px;
    text-align: center;
    color: var(--_muted);
  }

  .placeholder-icon {
    display: inline-grid;
    place-items: center;
    width: 52px;
    height: 52px;
    border-radius: 50%;
    color: var(--_accent);
    background: var(--_accent-soft);
  }

  .placeholder-icon .icon {
    width: 26px;
    height: 26px;
  }

  .placeholder p {
    margin: 0;
  }

  .skeleton-list {
    display: grid;
    gap: 14px;
    padding-top: 16px;
  }

  .bubble-skeleton {
    width: 58%;
    height: 38px;
    border-radius: 16px;
  }

  .bubble-skeleton.short {
    width: 36%;
  }

  .bubble-skeleton.own {
    justify-self: end;
    width: 44%;
  }

  .jump {
    position: absolute;
    left: 50%;
    bottom: 12px;
    transform: translateX(-50%);
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 7px 14px;
    border: none;
    border-radius: 999px;
    font-size: 13px;
    font-weight: 700;
    color: var(--_accent-text);
    background: var(--_accent);
    box-shadow: 0 4px 14px rgb(16 24 40 / 0.22);
    animation: rise 0.18s ease-out;
  }

  @keyframes rise {
    from {
      opacity: 0;
      transform: translate(-50%, 6px);
    }
  }
`;
