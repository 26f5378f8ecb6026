import { css } from 'lit';

export const connectionStatusStyles = css`
  :host {
    display: inline-block;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin: 0;
    font-size: 0.85rem;
    color: var(--hw-text-muted);
  }
  .dot {
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    background: var(--hw-neutral);
  }
  [data-state='live'] .dot {
    background: var(--hw-success);
    box-shadow: 0 0 0 3px var(--hw-success-soft);
  }
  [data-state='connecting'] .dot,
  [data-state='reconnecting'] .dot {
    background: var(--hw-warning);
    animation: blink 1s ease-in-out infinite;
  }
  [data-state='offline'] .dot {
    background: var(--hw-danger);
  }
  .label {
    font-weight: 600;
    color: var(--hw-text);
  }
  .reason {
    font-size: 0.8rem;
  }
  @keyframes blink {
    50% {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .dot {
      animation: none !important;
    }
  }
`;
