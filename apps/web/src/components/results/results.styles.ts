import { css } from 'lit';

export const resultsStyles = css`
  :host {
    display: block;
    /* Clear of the app's sticky header when a permalink scrolls here. */
    scroll-margin-top: 4.5rem;
  }
  :host([hidden]) {
    display: none;
  }
  .card {
    display: grid;
    gap: 0.6rem;
    min-width: 0;
  }
  a {
    color: var(--hw-accent);
  }
  a:focus-visible,
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
    border-radius: 4px;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.4rem 0.9rem;
  }
  h2 {
    margin: 0;
    font-size: 1rem;
  }
  h3 {
    margin: 0.4rem 0 0;
    font-size: 0.8rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--hw-text-muted);
  }
  .count {
    color: var(--hw-text-muted);
    font-size: 0.88rem;
  }
  .attempt {
    font-size: 0.88rem;
    color: var(--hw-text-muted);
  }
  select {
    font: inherit;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: 6px;
    padding: 0.15rem 0.3rem;
    min-height: 2rem;
  }
  .zip {
    margin-left: auto;
    font-size: 0.9rem;
    font-weight: 600;
  }
  .files {
    container-type: inline-size;
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    overflow: hidden;
  }
  .item {
    scroll-margin-top: 4.5rem;
  }
  .item + .item {
    border-top: 1px solid var(--hw-border);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding-right: 0.75rem;
  }
  .name {
    flex: 1;
    min-width: 0;
    display: grid;
    grid-template-columns: 1em minmax(0, 1fr) auto;
    align-items: baseline;
    gap: 0.1rem 0.5rem;
    min-height: 2.75rem;
    padding: 0.45rem 0.75rem;
    font: inherit;
    text-align: left;
    color: var(--hw-text);
    background: none;
    border: 0;
    cursor: pointer;
  }
  /* Narrow: type and size go under the name. */
  @container (max-width: 30rem) {
    .name .meta {
      grid-column: 2;
    }
  }
  .name:hover {
    background: var(--hw-surface-2);
  }
  .chevron::before {
    content: '▸';
    display: inline-block;
    width: 0.8em;
    color: var(--hw-text-muted);
    transition: transform 0.15s;
  }
  .name[aria-expanded='true'] .chevron::before {
    transform: rotate(90deg);
  }
  .label {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0 0.5rem;
    min-width: 0;
  }
  .file {
    font-family: var(--hw-font-mono);
    font-size: 0.88rem;
    overflow-wrap: anywhere;
  }
  .title {
    color: var(--hw-text-muted);
    font-size: 0.88rem;
  }
  .meta {
    color: var(--hw-text-muted);
    font-size: 0.8rem;
    white-space: nowrap;
  }
  .download {
    font-size: 0.85rem;
    white-space: nowrap;
  }
  .panel {
    display: grid;
    gap: 0.4rem;
    padding: 0.25rem 0.75rem 0.75rem;
    min-width: 0;
  }
  .links {
    margin: 0;
    font-size: 0.85rem;
  }
  @media (prefers-reduced-motion: reduce) {
    .chevron::before {
      transition: none;
    }
  }
`;
