import { css } from 'lit';

/** One entry of the message list (message-row.ts): day separator, chat row and bubble, SYSTEM line, notice card. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const rowStyles = css`
  .day {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 14px 4px 8px;
    font-size: 12px;
    color: var(--_muted);
  }

  .day::before,
  .day::after {
    content: '';
    flex: 1;
    height: 1px;
    background: var(--_border);
  }

  .row {
    display: flex;
    gap: 8px;
    margin-top: 10px;
  }

  .row.grouped {
    margin-top: 3px;
  }

  .row.own {
    justify-content: flex-end;
  }

  .avatar-space {
    flex: none;
    width: 32px;
  }

  .stack {
    display: flex;
    flex-direction: column;
    min-width: 0;
    max-width: min(78%, 520px);
  }

  .own .stack {
    align-items: flex-end;
  }

  .sender {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0 0 3px 2px;
    font-size: 12.5px;
    font-weight: 600;
    color: var(--_muted);
  }

  .line {
    display: flex;
    align-items: flex-end;
    gap: 6px;
    min-width: 0;
  }

  .own .line {
    flex-direction: row-reverse;
  }

  .bubble {
    min-width: 0;
    padding: 8px 12px;
    border-radius: 4px calc(var(--_radius) + 2px) calc(var(--_radius) + 2px) calc(var(--_radius) + 2px);
    background: var(--_bubble);
    color: var(--_bubble-text);
    white-space: pre-wrap;
    line-height: 1.55;
  }

  .grouped .bubble {
    border-top-left-radius: calc(var(--_radius) + 2px);
  }

  .own .bubble {
    border-radius: calc(var(--_radius) + 2px) 4px calc(var(--_radius) + 2px) calc(var(--_radius) + 2px);
    background: var(--_own-bubble);
    color: var(--_own-text);
  }

  .own.grouped .bubble {
    border-top-right-radius: calc(var(--_radius) + 2px);
  }

  .pending .bubble {
    opacity: 0.65;
  }

  .failed .bubble {
    opacity: 1;
    background: var(--_danger-soft);
    color: var(--_text);
    box-shadow: inset 0 0 0 1px var(--_danger);
  }

  /* Issue 12: a message's photos (image-grid.ts); a photo-only message's bubble holds only its sender for screen readers. */
  .bare {
    padding: 0;
  }

  .images {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 3px;
    width: min(260px, 100%);
    margin-bottom: 4px;
    border-radius: 12px;
    overflow: hidden;
  }

  .n1 {
    grid-template-columns: 1fr;
  }

  .image {
    padding: 0;
    border: 0;
    outline-offset: -3px;
  }

  .image img {
    display: block;
    width: 100%;
    height: 100%;
    max-height: 320px;
    object-fit: cover;
  }

  .images:not(.n1) img {
    aspect-ratio: 1;
  }

  .meta {
    flex: none;
    display: inline-flex;
    align-items: center;
    min-height: 16px;
    margin-bottom: 2px;
  }

  .time {
    font-size: 11px;
    color: var(--_muted);
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .failed-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    margin-top: 4px;
    font-size: 12px;
    color: var(--_danger);
  }

  .own .failed-row {
    justify-content: flex-end;
  }

  .link-button {
    padding: 2px 6px;
    border: none;
    border-radius: 6px;
    background: transparent;
    font-size: 12px;
    font-weight: 700;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 2px;
  }

  .link-button.muted {
    color: var(--_muted);
  }

  .row.system {
    justify-content: center;
    margin: 12px 0 2px;
  }

  .system-text {
    max-width: 90%;
    padding: 4px 12px;
    border-radius: 999px;
    font-size: 12.5px;
    text-align: center;
    color: var(--_muted);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }

  .row.notification {
    margin: 12px 0 4px;
  }

  .notice-card {
    flex: 1;
    display: flex;
    align-items: flex-start;
    gap: 10px;
    padding: 10px 12px;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_notice-bg);
    border: 1px solid var(--_notice-border);
  }

  .notice-icon {
    display: inline-grid;
    place-items: center;
    margin-top: 1px;
  }

  .notice-body {
    flex: 1;
    min-width: 0;
  }

  .notice-title {
    font-size: 12.5px;
    font-weight: 700;
  }

  .content {
    margin: 2px 0 0;
    white-space: pre-wrap;
  }

  /* Links in messages and notices (rich-text.ts); a long URL wraps instead of widening the bubble. */
  .bubble a,
  .content a {
    color: inherit;
    text-decoration: underline;
    overflow-wrap: anywhere;
  }

  .content ul,
  .content ol {
    margin: 4px 0;
    padding-inline-start: 1.25em;
    white-space: normal;
  }

  @media (max-width: 420px) {
    .stack {
      max-width: 86%;
    }
  }
`;
