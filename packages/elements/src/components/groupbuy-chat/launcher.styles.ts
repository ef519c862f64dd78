import { css } from 'lit';

/**
 * Styles of the chat's launcher mode (issue 12): the floating round button with its progress ring and
 * unread badge, and the panel the chat opens in. Adopted by the launcher's chunk when it loads, so a chat
 * in panel mode never downloads them.
 */
export const launcherStyles = css`
  :host([mode='launcher']) {
    /* The element takes no room in the page: the button and the panel float over it. A page that sets
       "display" on the element still gets no card around them. */
    display: contents;
    height: auto;
    min-height: 0;
    border: 0;
    background: none;
    box-shadow: none;
    overflow: visible;
  }

  /* With both a left and a right offset and a fixed width, CSS keeps "left" (in a left-to-right page):
     setting --groupbuy-launcher-left moves the button and the panel to the left corner. */
  .launcher,
  .launcher-panel {
    position: fixed;
    left: var(--groupbuy-launcher-left, auto);
    right: var(--groupbuy-launcher-right, 20px);
    z-index: var(--groupbuy-launcher-z, 2147483000);
  }

  .launcher {
    bottom: var(--groupbuy-launcher-bottom, 20px);
    display: grid;
    place-items: center;
    width: var(--groupbuy-launcher-size, 56px);
    height: var(--groupbuy-launcher-size, 56px);
    padding: 0;
    border: 0;
    border-radius: 50%;
    color: var(--_accent-text);
    background: var(--_accent);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.22);
    cursor: pointer;
    transition: transform 0.15s ease;
  }

  .launcher:hover {
    transform: scale(1.05);
  }

  .launcher:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 3px;
  }

  .launcher .icon {
    width: 45%;
    height: 45%;
  }

  /* The deal's progress around the button's edge: participants / cap. */
  .ring {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    transform: rotate(-90deg);
    pointer-events: none;
  }

  .ring circle {
    fill: none;
    stroke-width: 3;
  }

  .ring .track {
    stroke: currentColor;
    opacity: 0.3;
  }

  .ring .fill {
    stroke: var(--_accent-text);
    stroke-linecap: round;
    transition: stroke-dasharray 0.4s ease;
  }

  .launcher-badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    box-sizing: border-box;
    border: 2px solid var(--_bg);
    border-radius: 11px;
    color: #fff;
    background: #d92d20;
    font-size: 12px;
    font-weight: 700;
    line-height: 18px;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }

  /* Above the button, in its corner; as tall as the chat would be, but never taller than the window. */
  .launcher-panel {
    bottom: calc(var(--groupbuy-launcher-bottom, 20px) + var(--groupbuy-launcher-size, 56px) + 12px);
    display: flex;
    flex-direction: column;
    width: min(380px, calc(100vw - 32px));
    height: min(var(--groupbuy-height, 600px), calc(100vh - var(--groupbuy-launcher-bottom, 20px) - var(--groupbuy-launcher-size, 56px) - 28px));
    min-height: 320px;
    overflow: hidden;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
  }

  .launcher-bar {
    flex: none;
    display: flex;
    justify-content: flex-end;
    padding: 4px 4px 0;
    background: var(--_surface);
  }

  .launcher-close {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    color: var(--_muted);
    background: none;
  }

  .launcher-close:hover {
    color: var(--_text);
    background: var(--_bg);
  }

  .launcher-panel .frame {
    flex: 1 1 auto;
    min-height: 0;
  }

  /* A phone: the chat takes the whole screen, and the button hides under it. */
  @media (max-width: 480px) {
    .launcher-panel {
      inset: 0;
      width: 100%;
      height: 100%;
      min-height: 0;
      border: 0;
      border-radius: 0;
      /* Clear of a notch and the home indicator (with viewport-fit=cover). */
      padding: env(safe-area-inset-top, 0px) env(safe-area-inset-right, 0px) env(safe-area-inset-bottom, 0px)
        env(safe-area-inset-left, 0px);
      box-sizing: border-box;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .launcher,
    .ring .fill {
      transition: none;
    }
  }
`;
