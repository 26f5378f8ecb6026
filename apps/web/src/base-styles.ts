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

/** A page of the dashboard (a job, a pipeline): its links, the way back, its headings. */
export const pageStyles = css`
  a {
    color: var(--hw-accent);
  }
  a:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
  .back {
    font-size: 0.9rem;
    text-decoration: none;
  }
  .back:hover {
    text-decoration: underline;
  }
  h1 {
    margin: 0;
    font-size: clamp(1.3rem, 1rem + 1.5vw, 1.75rem);
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  h2 {
    margin: 0 0 0.6rem;
    font-size: 1rem;
  }
`;
