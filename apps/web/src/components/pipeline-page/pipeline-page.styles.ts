import { css } from 'lit';

/** The pipeline page and its compare view. */
export const pipelinePageStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: 1.25rem;
    min-width: 0;
  }
  select:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  .meta,
  .muted {
    margin: 0.3rem 0 0;
    color: var(--hw-text-muted);
    font-size: 0.9rem;
  }
  .error {
    margin: 0;
    color: var(--hw-danger);
  }
  .card {
    min-width: 0;
  }
  .table-wrap {
    /* Holds what is visually hidden inside, which would otherwise widen the page it sits past. */
    position: relative;
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.9rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.35rem 0.5rem;
    border-bottom: 1px solid var(--hw-border);
    vertical-align: middle;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  tr.total td {
    font-weight: 600;
    border-bottom: none;
  }
  .slower {
    color: var(--hw-danger);
  }
  .faster {
    color: var(--hw-success);
  }
  form.pick {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.6rem 1rem;
  }
  form.pick label {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    flex: 1 1 14rem;
    gap: 0.2rem;
    font-size: 0.85rem;
    color: var(--hw-text-muted);
    min-width: 0;
    max-width: 100%;
  }
  select {
    font: inherit;
    font-size: 0.9rem;
    color: var(--hw-text);
    background: var(--hw-surface);
    border: 1px solid var(--hw-border);
    border-radius: 6px;
    padding: 0.3rem 0.4rem;
    width: 100%;
    min-width: 0;
  }
  .button {
    display: inline-block;
    padding: 0.4rem 0.9rem;
    border-radius: 6px;
    font-weight: 600;
    text-decoration: none;
    color: #fff;
    background: var(--hw-accent-fill);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .bars {
    display: grid;
    gap: 2px;
    min-width: 4rem;
  }
  .bar {
    height: 0.45rem;
    border-radius: 2px;
    min-width: 1px;
  }
  .bar.a {
    background: var(--hw-neutral);
  }
  .bar.b {
    background: var(--hw-accent);
  }
`;
