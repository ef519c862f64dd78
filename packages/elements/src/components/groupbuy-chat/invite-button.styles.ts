import { css } from 'lit';

/** The header's invite and stats buttons (invite-button.ts, host-stats-toggle.ts). Tokens (`--_*`) come from internal/theme.styles.ts. */
export const inviteStyles = css`
  /* The buttons sit with the buyers button at the row's end; the countdown keeps the start. */
  .meta-row > .chip-button {
    margin-left: auto;
  }


  .invite {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }

  .invite-status:empty {
    display: none;
  }

  .invite-status {
    color: var(--_success);
    font-weight: 600;
  }

  .invite-manual {
    display: flex;
    flex: 1 0 100%;
    align-items: center;
    gap: 6px;
  }

  .invite-manual input {
    flex: 1;
    min-width: 0;
    padding: 4px 8px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
`;
