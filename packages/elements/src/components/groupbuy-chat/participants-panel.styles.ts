import { css } from 'lit';

/** The participants panel over the message list (participants-panel.ts). Tokens (`--_*`) come from internal/theme.styles.ts. */
export const panelStyles = css`
  /* Over the message list, not above it: opening it never squeezes the list (a short widget had
     ~130 px of messages left). Its height is capped so the list still shows beneath. */
  .panel {
    position: absolute;
    z-index: 3;
    top: 0;
    left: 0;
    right: 0;
    max-height: min(72%, 420px);
    overflow: auto;
    overscroll-behavior: contain;
    border-bottom: 1px solid var(--_border);
    background: var(--_bg);
    box-shadow: 0 8px 24px rgb(16 24 40 / 0.16);
  }

  .panel participant-list {
    border: none;
    border-radius: 0;
    box-shadow: none;
  }
`;
