import { css } from 'lit';

/** The header (chat-header.ts): title, status badge, countdown, buyers button, progress bar, Join button. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const headerStyles = css`
  .header {
    flex: none;
    display: grid;
    gap: 8px;
    padding: 14px 16px 12px;
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }

  .title-row {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: 12px;
  }

  .title {
    margin: 0;
    font-size: 1.0625em;
    font-weight: 700;
    line-height: 1.4;
    letter-spacing: -0.01em;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }

  .badge {
    flex: none;
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 10px;
    border-radius: 999px;
    font-size: 12px;
    font-weight: 700;
    line-height: 20px;
    white-space: nowrap;
    color: var(--_success);
    background: var(--_success-soft);
  }

  .badge::before {
    content: '';
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: currentColor;
  }

  .badge.closed {
    color: var(--_accent);
    background: var(--_accent-soft);
  }

  .badge.urgent {
    color: var(--_warning);
    background: var(--_warning-soft);
  }

  .badge.cancelled {
    color: var(--_danger);
    background: var(--_danger-soft);
  }

  .meta-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    /* In a narrow widget the buyers button moves under the countdown rather than squeezing both. */
    gap: 6px 8px;
    font-size: 13px;
    color: var(--_muted);
  }

  .countdown {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    font-variant-numeric: tabular-nums;
  }

  .countdown.urgent {
    color: var(--_warning);
    font-weight: 700;
  }

  .chip-button {
    display: inline-flex;
    white-space: nowrap;
    align-items: center;
    gap: 4px;
    padding: 3px 8px 3px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_text);
    font-size: 13px;
    line-height: 20px;
  }

  .chip-watchers {
    color: var(--_muted);
  }

  .chip-button:hover {
    border-color: var(--_accent);
  }

  .chevron {
    display: inline-flex;
    transition: transform 0.15s ease;
  }

  .chevron.open {
    transform: rotate(180deg);
  }

  .progress-row {
    display: flex;
    align-items: center;
    gap: 12px;
  }

  .progress-block {
    flex: 1;
    min-width: 0;
    display: grid;
    gap: 6px;
  }

  .progress {
    position: relative;
    height: 8px;
    border-radius: 999px;
    background: var(--_border);
    overflow: hidden;
  }

  .progress .bar {
    height: 100%;
    border-radius: inherit;
    background: var(--_accent);
    transition: width 0.4s ease;
  }

  .progress.closed .bar {
    background: var(--_success);
  }

  .progress.cancelled .bar {
    background: var(--_muted);
  }

  .min-mark {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 2px;
    margin-left: -1px;
    background: var(--_bg);
  }

  .progress-text {
    display: flex;
    flex-wrap: wrap;
    gap: 0 6px;
    font-size: 13px;
    color: var(--_muted);
  }

  .progress-text strong {
    color: var(--_text);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }

  .joined-tag {
    flex: none;
    padding: 6px 12px;
    border-radius: 999px;
    font-size: 13px;
    font-weight: 700;
    color: var(--_success);
    background: var(--_success-soft);
  }

  .title-skeleton {
    width: 62%;
    height: 20px;
  }

  .meta-skeleton {
    width: 40%;
    height: 14px;
  }

  .bar-skeleton {
    height: 8px;
  }
`;
