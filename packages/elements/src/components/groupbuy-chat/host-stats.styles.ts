import { css } from 'lit';

/**
 * The seller's stats view (host-stats.ts), adopted by the chat's shadow root when the view's chunk loads.
 * It sits over the message list like the participants panel (`.panel`). Tokens (`--_*`) come from
 * internal/theme.styles.ts.
 */
export const hostStatsStyles = css`
  .stats-panel {
    padding: 12px 16px 14px;
    color: var(--_text);
    font-size: 13px;
  }

  .stats-panel:focus {
    outline: none;
  }

  .stats-panel:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }

  .stats-head {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 10px;
  }

  .stats-head h3 {
    flex: 1;
    margin: 0;
    font-size: 15px;
  }

  .stats-grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(118px, 1fr));
    gap: 8px;
    margin: 0 0 12px;
  }

  .stat {
    padding: 8px 10px;
    border-radius: 10px;
    background: var(--_surface);
  }

  .stat dt {
    color: var(--_muted);
    font-size: 12px;
  }

  .stat dd {
    margin: 2px 0 0;
    font-size: 17px;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }

  .sparkline {
    display: block;
    width: 100%;
    height: auto;
    max-height: 64px;
    margin-bottom: 8px;
  }

  .spark-line {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 2;
    stroke-linejoin: round;
    stroke-linecap: round;
  }

  .spark-cap {
    stroke: var(--_border);
    stroke-dasharray: 3 3;
  }

  .spark-dot {
    fill: var(--_accent);
  }

  .stats-panel h4 {
    margin: 4px 0 6px;
    font-size: 13px;
  }

  .inviters {
    margin: 0 0 8px;
    padding-left: 20px;
  }

  .inviters li {
    padding: 2px 0;
  }

  .inviter-joins {
    float: right;
    color: var(--_muted);
  }

  .inviter-name {
    font-weight: 600;
  }

  .stats-note {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0;
    color: var(--_muted);
  }
`;
