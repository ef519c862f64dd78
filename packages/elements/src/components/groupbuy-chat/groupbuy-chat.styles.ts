import { css } from 'lit';
import { themeStyles } from '../../internal/theme.styles.js';

/** Styles of `<groupbuy-chat>`; tokens come from {@link themeStyles}. */
export const styles = [
  themeStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      position: relative;
      height: var(--groupbuy-height, 600px);
      min-height: 320px;
      overflow: hidden;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: var(--_shadow);
      /* Korean wraps between words (어절), never inside one; a long URL still breaks rather than overflow. */
      word-break: keep-all;
      overflow-wrap: break-word;
    }

    /* The layout lives on this frame, not on :host: a page that sets "display" on the element (block,
       grid …) changes only how the card sits in the page, never the column inside it. */
    .frame {
      flex: 1 1 auto;
      display: flex;
      flex-direction: column;
      width: 100%;
      height: 100%;
      min-height: 0;
      /* With display:block the host has a height, and 100% follows it; as a flex item, flex does. */
      position: relative;
    }

    /* Header ------------------------------------------------------------------------------------- */

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

    .button {
      flex: none;
      min-height: 40px;
      padding: 0 18px;
      border-radius: calc(var(--_radius) * 0.75);
      border: 1px solid transparent;
      font-size: 14px;
      font-weight: 700;
      white-space: nowrap;
      transition: filter 0.15s ease, background 0.15s ease;
    }

    .button.primary {
      color: var(--_accent-text);
      background: var(--_accent);
    }

    .button.primary:hover:not(:disabled) {
      filter: brightness(1.08);
    }

    .button.secondary {
      color: var(--_text);
      background: var(--_bg);
      border-color: var(--_border);
    }

    .button.secondary:hover:not(:disabled) {
      border-color: var(--_muted);
    }

    .button:disabled {
      opacity: 0.55;
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

    .skeleton {
      border-radius: 8px;
      background: linear-gradient(90deg, var(--_border) 0%, var(--_surface) 50%, var(--_border) 100%);
      background-size: 200% 100%;
      animation: shimmer 1.4s ease-in-out infinite;
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

    @keyframes shimmer {
      from {
        background-position: 100% 0;
      }
      to {
        background-position: -100% 0;
      }
    }

    /* Participants panel --------------------------------------------------------------------------- */

    /* Over the message list, not above it: opening it never squeezes the list (a short widget had
       ~130 px of messages left). Its height is capped so the list still shows beneath. */
    .panel {
      position: absolute;
      z-index: 3;
      top: 0;
      left: 0;
      right: 0;
      max-height: min(72%, 420px);
      overflow: auto;
      overscroll-behavior: contain;
      border-bottom: 1px solid var(--_border);
      background: var(--_bg);
      box-shadow: 0 8px 24px rgb(16 24 40 / 0.16);
    }

    .panel participant-list {
      border: none;
      border-radius: 0;
      box-shadow: none;
    }

    /* Banners ------------------------------------------------------------------------------------ */

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

    /* Message list ------------------------------------------------------------------------------- */

    .log-wrap {
      position: relative;
      flex: 1;
      min-height: 0;
      display: flex;
      flex-direction: column;
    }

    .log {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      /* The widget keeps the reader's place itself when history goes in above (groupbuy-chat.ts). */
      overflow-anchor: none;
      padding: 4px 14px 12px;
      display: flex;
      flex-direction: column;
    }

    .log:focus-visible {
      outline-offset: -2px;
    }

    .history-edge {
      flex: none;
      /* A short conversation sits at the bottom, next to the composer, as in any messenger. */
      margin-top: auto;
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 8px;
      height: 36px;
      font-size: 12px;
      color: var(--_muted);
    }

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

    .placeholder {
      margin: auto;
      display: grid;
      justify-items: center;
      gap: 10px;
      max-width: 280px;
      padding: 24px;
      text-align: center;
      color: var(--_muted);
    }

    .placeholder-icon {
      display: inline-grid;
      place-items: center;
      width: 52px;
      height: 52px;
      border-radius: 50%;
      color: var(--_accent);
      background: var(--_accent-soft);
    }

    .placeholder-icon .icon {
      width: 26px;
      height: 26px;
    }

    .placeholder p {
      margin: 0;
    }

    .skeleton-list {
      display: grid;
      gap: 14px;
      padding-top: 16px;
    }

    .bubble-skeleton {
      width: 58%;
      height: 38px;
      border-radius: 16px;
    }

    .bubble-skeleton.short {
      width: 36%;
    }

    .bubble-skeleton.own {
      justify-self: end;
      width: 44%;
    }

    .jump {
      position: absolute;
      left: 50%;
      bottom: 12px;
      transform: translateX(-50%);
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 7px 14px;
      border: none;
      border-radius: 999px;
      font-size: 13px;
      font-weight: 700;
      color: var(--_accent-text);
      background: var(--_accent);
      box-shadow: 0 4px 14px rgb(16 24 40 / 0.22);
      animation: rise 0.18s ease-out;
    }

    @keyframes rise {
      from {
        opacity: 0;
        transform: translate(-50%, 6px);
      }
    }

    /* Composer ----------------------------------------------------------------------------------- */

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

    /* Spinners ----------------------------------------------------------------------------------- */

    .spinner {
      flex: none;
      width: 14px;
      height: 14px;
      border: 2px solid currentColor;
      border-right-color: transparent;
      border-radius: 50%;
      animation: spin 0.8s linear infinite;
    }

    .spinner.small {
      width: 11px;
      height: 11px;
      color: var(--_muted);
    }

    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }

    @media (max-width: 420px) {
      .stack {
        max-width: 86%;
      }

      .button {
        padding: 0 14px;
      }
    }
  `,
];
