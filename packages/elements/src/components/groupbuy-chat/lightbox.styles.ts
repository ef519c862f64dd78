import { css } from 'lit';

/** The photo lightbox (lightbox.ts), adopted into the chat's shadow root when it first opens. Tokens (`--_*`) come from internal/theme.styles.ts. */
export const lightboxStyles = css`
  .lightbox {
    width: 100vw;
    max-width: 100vw;
    height: 100dvh;
    max-height: 100dvh;
    margin: 0;
    padding: 0;
    border: 0;
    background: transparent;
    color: #ffffff;
    overflow: hidden;
  }

  .lightbox::backdrop {
    background: rgb(10 12 16 / 0.88);
  }

  .lb-figure {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 12px;
    height: 100%;
    margin: 0;
    padding: 56px 64px 24px;
  }

  .lb-image {
    min-height: 0;
    max-width: 100%;
    max-height: calc(100% - 48px);
    width: auto;
    height: auto;
    object-fit: contain;
    border-radius: 6px;
    background: rgb(255 255 255 / 0.06);
  }

  .lb-caption {
    max-width: 60ch;
    font-size: 14px;
    text-align: center;
    overflow-wrap: anywhere;
  }

  .lb-position {
    margin-inline-start: 8px;
    opacity: 0.7;
  }

  .lb-button {
    position: absolute;
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: rgb(255 255 255 / 0.14);
    color: inherit;
    cursor: pointer;
  }

  .lb-button:hover {
    background: rgb(255 255 255 / 0.26);
  }

  .lb-close {
    top: 12px;
    right: 12px;
  }

  .lb-prev,
  .lb-next {
    top: calc(50% - 22px);
  }

  .lb-prev {
    left: 10px;
  }

  .lb-next {
    right: 10px;
  }

  .lb-prev .icon {
    transform: rotate(90deg);
  }

  .lb-next .icon {
    transform: rotate(-90deg);
  }

  @media (max-width: 480px) {
    .lb-figure {
      padding: 56px 8px 16px;
    }

    .lb-prev,
    .lb-next {
      top: auto;
      bottom: 12px;
    }
  }
`;
