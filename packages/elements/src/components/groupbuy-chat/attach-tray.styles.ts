import { css } from 'lit';

/** The photo tray above the composer (attach-tray.ts), adopted when the uploader first loads. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const trayStyles = css`
  .tray {
    flex: none;
    padding: 8px 12px 0;
    border-top: 1px solid var(--_border);
    background: var(--_bg);
  }

  .tray-list {
    display: flex;
    gap: 8px;
    margin: 0;
    padding: 0 0 2px;
    list-style: none;
    overflow-x: auto;
  }

  .tray-item {
    position: relative;
    flex: none;
    display: flex;
    flex-direction: column;
    gap: 4px;
    width: 112px;
  }

  .tray-thumb {
    display: block;
    width: 112px;
    height: 84px;
    object-fit: cover;
    border-radius: 10px;
    border: 1px solid var(--_border);
    background: var(--_surface);
  }

  .tray-item.uploading .tray-thumb {
    opacity: 0.6;
  }

  .tray-item.failed .tray-thumb {
    border-color: var(--_danger);
  }

  .tray-progress {
    position: absolute;
    left: 8px;
    right: 8px;
    top: 72px;
    height: 6px;
    width: auto;
    accent-color: var(--_accent);
  }

  .tray-alt {
    width: 100%;
    min-height: 28px;
    padding: 2px 6px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-size: 12px;
  }

  .tray-remove {
    position: absolute;
    top: 4px;
    right: 4px;
    display: grid;
    place-items: center;
    width: 24px;
    height: 24px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: rgb(0 0 0 / 0.6);
    color: #ffffff;
  }

  .tray-remove .icon {
    width: 14px;
    height: 14px;
  }

  .tray-error {
    font-size: 11.5px;
    font-weight: 600;
    color: var(--_danger);
    overflow-wrap: anywhere;
  }

  .tray-retry {
    align-self: start;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    font: inherit;
    font-size: 12px;
    text-decoration: underline;
  }

  .tray-notice {
    margin: 6px 0 0;
    font-size: 12px;
    font-weight: 600;
    color: var(--_danger);
  }

  .tray-notice.waiting {
    color: var(--_muted);
  }
`;
