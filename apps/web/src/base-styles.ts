// Styles every element shares: page-level CSS does not reach into shadow roots.
import { css } from 'lit';

export const baseStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  /* A panel of the job page (progress, timeline, results, stages). */
  .card {
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    box-shadow: var(--hw-shadow);
    padding: 1rem;
  }
  /* A secondary action's button (Cancel, Retry, Share, Notify me). */
  .action {
    min-height: 2.25rem;
    padding: 0.35rem 1rem;
    font: inherit;
    font-size: 0.92rem;
    font-weight: 600;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: 6px;
    cursor: pointer;
  }
  .action:hover:not(:disabled) {
    background: var(--hw-surface-2);
  }
  .action:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  .action:disabled {
    opacity: 0.6;
    cursor: progress;
  }
`;
