import { css } from 'lit';

export const logToolbarStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 0.4rem;
    padding: 0.5rem 0.75rem;
    font-size: 0.8rem;
    color: var(--hw-log-muted);
    border-bottom: 1px solid var(--hw-log-border);
  }
  .search,
  .controls,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }
  .controls {
    row-gap: 0.4rem;
    column-gap: 0.6rem;
  }
  .actions {
    margin-left: auto;
  }
  input[type='search'] {
    flex: 1 1 12rem;
    min-width: 0;
    font: inherit;
    font-family: var(--hw-font-mono);
    color: var(--hw-log-text);
    background: var(--hw-log-field);
    border: 1px solid var(--hw-log-border-strong);
    border-radius: 6px;
    padding: 0.3rem 0.5rem;
  }
  input[aria-invalid='true'] {
    border-color: var(--hw-log-error);
  }
  select,
  button {
    font: inherit;
    color: var(--hw-log-text);
    background: var(--hw-log-field);
    border: 1px solid var(--hw-log-border-strong);
    border-radius: 6px;
    padding: 0.25rem 0.5rem;
    max-width: 100%;
  }
  button {
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  button:hover:not(:disabled) {
    background: var(--hw-log-hover);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  button.icon {
    min-width: 2rem;
    justify-content: center;
  }
  button.toggle::before {
    content: '';
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    border: 1px solid currentColor;
  }
  button.toggle[aria-pressed='true'] {
    border-color: var(--hw-log-success);
    color: var(--hw-log-success);
  }
  button.toggle[aria-pressed='true']::before {
    background: currentColor;
  }
  button.jump {
    border-color: var(--hw-accent);
    color: var(--hw-log-text);
  }
  input:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 1px;
  }
  .count,
  .position {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .filter {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  .error {
    margin: 0;
    color: var(--hw-log-error);
  }
  @media (max-width: 480px) {
    .filter {
      flex: 1 1 9rem;
    }
    .filter select {
      flex: 1;
      min-width: 0;
    }
    .actions {
      margin-left: 0;
    }
  }
`;
