import { css } from 'lit';

/** "Link copied" and the invite link field (invite-flow.ts), adopted when its chunk loads. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const inviteFlowStyles = css`
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
