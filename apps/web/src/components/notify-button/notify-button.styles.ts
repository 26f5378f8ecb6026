import { css } from 'lit';

export const notifyButtonStyles = css`
  :host {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  [part='base'][aria-pressed='true'] {
    color: var(--hw-accent);
    background: var(--hw-accent-soft);
    border-color: currentColor;
  }
  .problem {
    color: var(--hw-text-muted);
    font-size: 0.85rem;
  }
`;
