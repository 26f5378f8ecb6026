import { css } from 'lit';

export const jobListStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: 2rem;
  }
  /* Grid items default to their content's width; the table scrolls inside its own box instead. */
  [part='base'] > * {
    min-width: 0;
  }
  h1,
  h2 {
    margin: 0 0 0.75rem;
    line-height: 1.2;
  }
  h1 {
    font-size: clamp(1.3rem, 1rem + 1.5vw, 1.75rem);
  }
  h2 {
    font-size: 1.15rem;
  }
  .heading-row {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .muted {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.9rem;
  }
  .error {
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border-radius: var(--hw-radius);
    color: var(--hw-danger);
    background: var(--hw-danger-soft);
  }
  .pipelines {
    display: grid;
    gap: 1rem;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
  }
  .table-wrap {
    overflow-x: auto;
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    box-shadow: var(--hw-shadow);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.92rem;
  }
  th,
  td {
    padding: 0.55rem 0.75rem;
    text-align: left;
    vertical-align: middle;
    border-bottom: 1px solid var(--hw-border);
  }
  th {
    font-size: 0.78rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--hw-text-muted);
    background: var(--hw-surface-2);
  }
  tbody tr:last-child td {
    border-bottom: none;
  }
  tbody tr:hover {
    background: var(--hw-surface-2);
  }
  td.progress {
    min-width: 9rem;
    width: 30%;
  }
  .stage,
  .artifacts {
    display: block;
    font-size: 0.78rem;
    color: var(--hw-text-muted);
  }
  .slow {
    display: block;
    font-size: 0.78rem;
    font-weight: 600;
    color: var(--hw-warning);
  }
  a {
    color: var(--hw-accent);
    font-family: var(--hw-font-mono);
    font-weight: 600;
  }
  a:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  .name {
    display: block;
    font-size: 0.8rem;
    color: var(--hw-text-muted);
  }
  time {
    white-space: nowrap;
    color: var(--hw-text-muted);
  }
  @media (max-width: 600px) {
    .wide {
      display: none;
    }
    th,
    td {
      padding: 0.5rem;
    }
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: end;
    margin: 0 0 0.75rem;
  }
  .filters label {
    display: grid;
    gap: 0.2rem;
    font-size: 0.8rem;
    color: var(--hw-text-muted);
  }
  .filters .search {
    flex: 1 1 12rem;
    min-width: 0;
  }
  .filters input {
    box-sizing: border-box;
    width: 100%;
  }
  .filters select,
  .filters input,
  .paging button {
    font: inherit;
    font-size: 0.92rem;
    padding: 0.35rem 0.5rem;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
  }
  .timing {
    white-space: nowrap;
    color: var(--hw-text-muted);
    font-size: 0.85rem;
  }
  .paging {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    justify-content: flex-end;
    margin-top: 0.75rem;
  }
  .paging button {
    cursor: pointer;
  }
  .paging button:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;
