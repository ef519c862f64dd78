import { css } from 'lit';
import { themeStyles } from '../../internal/theme.styles.js';

/** Styles of `<participant-list>`; tokens come from {@link themeStyles}. */
export const styles = [
  themeStyles,
  css`
    :host {
      display: block;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      word-break: keep-all;
      overflow-wrap: break-word;
    }

    .base {
      padding: 12px 16px;
    }

    .header {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 8px;
      margin-bottom: 8px;
    }

    .title {
      font-size: 14px;
      font-weight: 700;
    }

    .count {
      font-size: 13px;
      font-weight: 700;
      color: var(--_accent);
      font-variant-numeric: tabular-nums;
    }

    .list {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 2px;
    }

    .participant {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 6px 0;
    }

    .participant + .participant {
      border-top: 1px solid var(--_border);
    }

    .who {
      flex: 1;
      min-width: 0;
      display: flex;
      align-items: center;
      gap: 6px;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 14px;
      font-weight: 600;
    }

    .tag.soft {
      color: var(--_accent);
      background: var(--_accent-soft);
    }

    .joined {
      flex: none;
      font-size: 12px;
      color: var(--_muted);
    }

    .empty {
      margin: 4px 0;
      font-size: 13px;
      color: var(--_muted);
    }

    /* Watchers: lighter than the buyers (chips, not rows) — they are reading along, not in the deal. */
    .watchers {
      margin-top: 12px;
      padding-top: 12px;
      border-top: 1px solid var(--_border);
    }

    .watchers .header {
      justify-content: flex-start;
    }

    .watchers.none .title {
      font-weight: 600;
      color: var(--_muted);
    }

    .watchers-count {
      font-variant-numeric: tabular-nums;
    }

    .chips {
      margin: 0;
      padding: 0;
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }

    .watcher {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      max-width: 100%;
      padding: 2px 10px 2px 2px;
      border: 1px solid var(--_border);
      border-radius: 999px;
      background: var(--_surface);
    }

    .watchers .more {
      margin: 6px 0 0;
      font-size: 13px;
      color: var(--_muted);
    }

    .watcher .name {
      font-size: 13px;
      font-weight: 500;
    }

    .avatar.small {
      width: 24px;
      height: 24px;
      font-size: 11px;
    }
  `,
];
