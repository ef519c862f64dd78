import { css } from 'lit';

/** The connection and error banners under the header (banners.ts). Tokens (`--_*`) come from internal/theme.styles.ts. */
export const bannerStyles = css`
  .banners:empty {
    display: none;
  }

  .banner {
    flex: none;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 16px;
    font-size: 13px;
    font-weight: 600;
  }

  .banner-text {
    flex: 1;
  }

  .banner.warning {
    color: var(--_warning);
    background: var(--_warning-soft);
  }

  .banner.auth {
    align-items: flex-start;
    flex-wrap: wrap;
    color: var(--_danger);
    background: var(--_danger-soft);
  }

  .banner-detail {
    display: block;
    font-weight: 400;
    color: var(--_text);
  }

  .banner.error {
    color: var(--_danger);
    background: var(--_danger-soft);
  }

  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 28px;
    height: 28px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
  }

  .icon-button:hover {
    background: rgb(127 127 127 / 0.15);
  }
`;
