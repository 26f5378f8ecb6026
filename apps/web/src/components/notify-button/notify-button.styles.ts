import { css } from 'lit';

export const notifyButtonStyles = css`
  :host {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  [part='base'] {
    min-height: 2.25rem;
    padding: 0.35rem 0.9rem;
    font: inherit;
    font-size: 0.92rem;
    font-weight: 600;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: 6px;
    cursor: pointer;
  }
  [part='base']:hover {
    background: var(--hw-surface-2);
  }
  [part='base']:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
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
