import { css } from 'lit';

/** The composer (composer.ts): textarea, send button, hint. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const composerStyles = css`
  .composer {
    flex: none;
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px 4px;
    border-top: 1px solid var(--_border);
    background: var(--_bg);
  }

  textarea {
    flex: 1;
    min-width: 0;
    min-height: 44px;
    max-height: 160px;
    margin: 0;
    padding: 10px 14px;
    resize: none;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    line-height: 1.45;
    word-break: keep-all;
    overflow-wrap: break-word;
  }

  textarea::placeholder {
    color: var(--_muted);
    opacity: 1;
  }

  textarea:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 0;
    border-color: transparent;
    background: var(--_bg);
  }

  textarea:disabled {
    opacity: 0.6;
  }

  .send {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: none;
    border-radius: 50%;
    color: var(--_accent-text);
    background: var(--_accent);
    transition: filter 0.15s ease, opacity 0.15s ease;
  }

  .send:hover:not(:disabled) {
    filter: brightness(1.08);
  }

  .send:disabled {
    opacity: 0.4;
  }

  /* Issue 12: the attach button (attach.ts): a send button's shape, quiet. */
  .attach {
    width: 36px;
    color: var(--_muted);
    background: none;
  }

  /* The typing line (typing-indicator.ts, issue 12): one muted line above the composer, its height kept
     when empty so the list above does not jump each time someone starts or stops typing. */
  .typing {
    flex: none;
    min-height: 18px;
    padding: 2px 16px 0;
    font-size: 12px;
    line-height: 16px;
    color: var(--_muted);
    background: var(--_bg);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }

  .hint {
    flex: none;
    min-height: 26px;
    padding: 2px 16px 8px;
    font-size: 11.5px;
    color: var(--_muted);
    background: var(--_bg);
  }

  .hint-touch {
    display: none;
  }

  @media (hover: none), (pointer: coarse) {
    .hint-keys {
      display: none;
    }

    .hint-touch {
      display: inline;
    }
  }

  .hint.reason {
    font-size: 13px;
    font-weight: 600;
    color: var(--_text);
  }

  .hint.error {
    font-weight: 600;
    color: var(--_danger);
  }
`;
