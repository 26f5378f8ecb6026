import { css } from 'lit';

export const signInStyles = css`
  :host {
    display: block;
    max-width: 28rem;
    margin: 3rem auto;
  }
  [part='base'] {
    display: grid;
    gap: 0.75rem;
    padding: 1.25rem 1.4rem;
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    box-shadow: var(--hw-shadow);
  }
  h1 {
    margin: 0;
    font-size: 1.3rem;
  }
  p {
    margin: 0;
    color: var(--hw-text-muted);
  }
  form {
    display: grid;
    gap: 0.4rem;
  }
  label {
    font-size: 0.85rem;
    font-weight: 600;
  }
  input {
    font: inherit;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--hw-border);
    border-radius: calc(var(--hw-radius) / 2);
    background: var(--hw-bg);
    color: var(--hw-text);
  }
  button {
    justify-self: start;
    font: inherit;
    font-weight: 600;
    padding: 0.45rem 1rem;
    border: 0;
    border-radius: calc(var(--hw-radius) / 2);
    background: var(--hw-accent-fill);
    color: var(--hw-accent-contrast, #fff);
    cursor: pointer;
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .error {
    color: var(--hw-danger);
  }
`;
