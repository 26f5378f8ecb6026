import { css } from 'lit';

export const pipelineCardStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    height: 100%;
    padding: 1rem 1.1rem;
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    box-shadow: var(--hw-shadow);
  }
  h2 {
    margin: 0;
    font-size: 1.1rem;
  }
  p {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.92rem;
  }
  .history {
    align-self: flex-start;
    font-size: 0.88rem;
    color: var(--hw-accent);
  }
  .history:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  .stages {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    margin: 0;
    padding: 0;
    list-style: none;
    counter-reset: stage;
  }
  .stages li {
    counter-increment: stage;
    font-size: 0.78rem;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    background: var(--hw-surface-2);
    border: 1px solid var(--hw-border);
  }
  .stages li::before {
    content: counter(stage) '. ';
    color: var(--hw-text-muted);
  }
  form {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.6rem;
    margin-top: auto;
  }
  .field {
    display: grid;
    gap: 0.2rem;
  }
  label {
    font-size: 0.8rem;
    color: var(--hw-text-muted);
  }
  select,
  input,
  button {
    font: inherit;
    font-size: 0.92rem;
    border-radius: 6px;
    min-height: 2.25rem;
  }
  select,
  input:not([type='checkbox']) {
    padding: 0.3rem 0.5rem;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
  }
  button {
    padding: 0.35rem 1.1rem;
    font-weight: 600;
    color: #fff;
    background: var(--hw-run-button-bg, var(--hw-accent-fill));
    border: 1px solid transparent;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    filter: brightness(1.08);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  input:not([type='checkbox']) {
    box-sizing: border-box;
    height: 2.25rem;
    min-height: 0;
  }
  input[type='number'] {
    width: 7rem;
  }
  .more {
    flex-basis: 100%;
    order: 1;
    font-size: 0.85rem;
  }
  .more summary {
    cursor: pointer;
    color: var(--hw-text-muted);
    width: fit-content;
  }
  .more-fields {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    margin-top: 0.5rem;
  }
  select:focus-visible,
  input:focus-visible,
  summary:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  .error {
    color: var(--hw-danger);
    overflow-wrap: anywhere;
  }
`;
