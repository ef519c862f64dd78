import { css } from 'lit';

/** The header's invite and stats buttons (invite-button.ts, host-stats-toggle.ts). Tokens (`--_*`) come from internal/theme.styles.ts. */
export const inviteStyles = css`
  /* The buttons sit with the buyers button at the row's end; the countdown keeps the start. */
  .meta-row > .chip-button {
    margin-left: auto;
  }
`;
