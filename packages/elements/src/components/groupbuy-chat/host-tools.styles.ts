import { css } from 'lit';

/** The message menu, the report form and the host's slow-mode selector (adopted by host-tools.ts when it loads). */
export const hostToolsStyles = css`
  .menu {
    position: absolute;
    z-index: 5;
    inset-inline-end: 0;
    bottom: 100%;
    display: flex;
    flex-direction: column;
    min-width: 168px;
    padding: 4px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    font-size: 14px;
  }

  .own .menu {
    inset-inline-end: auto;
    inset-inline-start: 0;
  }

  .menu-item {
    padding: 8px 10px;
    border: 0;
    border-radius: 8px;
    background: none;
    color: var(--_text);
    font: inherit;
    text-align: start;
    white-space: nowrap;
  }

  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--_surface);
  }

  .menu-item.danger {
    color: var(--_danger);
  }

  .report-form {
    gap: 6px;
    min-width: 240px;
    padding: 10px;
  }

  .report-form textarea {
    font: inherit;
    resize: vertical;
  }

  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
  }

  .slow-mode-control {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }

  .slow-mode-control select {
    font: inherit;
  }

  .reports-list {
    flex-basis: 100%;
    margin: 4px 0 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 4px;
  }

  .reports-list li {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 6px;
  }

  .report-of {
    color: var(--_muted);
  }

  .report-reason {
    overflow-wrap: anywhere;
  }
`;
