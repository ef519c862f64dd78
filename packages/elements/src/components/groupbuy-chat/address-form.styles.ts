import { css } from 'lit';

/** The shipping-address form over the message list (adopted by address-form.ts when it loads). */
export const addressFormStyles = css`
  .address-panel {
    position: absolute;
    z-index: 4;
    inset: 0 0 auto;
    max-height: 100%;
    overflow: auto;
    overscroll-behavior: contain;
    padding: 12px 14px;
    border-bottom: 1px solid var(--_border);
    background: var(--_bg);
    box-shadow: 0 8px 24px rgb(16 24 40 / 0.16);
    font-size: 14px;
  }

  .address-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }

  .address-head h3 {
    margin: 0;
    font-size: 15px;
  }

  .address-intro,
  .optional {
    color: var(--_muted);
    font-size: 12px;
  }

  .address-fields {
    display: grid;
    gap: 8px;
  }

  .field {
    display: grid;
    gap: 2px;
  }

  .field input {
    min-height: 36px;
    padding: 0 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
  }

  .field input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .field-error {
    margin: 0;
    color: var(--_danger);
    font-size: 12px;
  }

  .address-saved {
    display: grid;
    gap: 4px;
    margin: 0 0 8px;
  }

  .address-saved div {
    display: flex;
    gap: 8px;
  }

  .address-saved dt {
    min-width: 72px;
    color: var(--_muted);
  }

  .address-saved dd {
    margin: 0;
  }

  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
  }
`;
