import { css } from 'lit';

export const shareLinkStyles = css`
  :host {
    display: contents;
  }
  input:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  [part='link'] {
    flex-basis: 100%;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    font-size: 0.9rem;
  }
  input {
    flex: 1 1 20rem;
    min-width: 0;
    padding: 0.35rem 0.5rem;
    font: inherit;
    font-family: var(--hw-font-mono, monospace);
    font-size: 0.85rem;
    color: var(--hw-text);
    background: var(--hw-surface-2);
    border: 1px solid var(--hw-border);
    border-radius: 6px;
  }
  .muted {
    color: var(--hw-text-muted);
  }
  .error {
    color: var(--hw-danger, #c62828);
  }
`;
