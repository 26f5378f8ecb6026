import { css } from 'lit';

export const stageTimelineStyles = css`
  :host {
    display: block;
    container: timeline / inline-size;
    --hw-stage-timeline-height: 1.5rem;
  }
  [part='base'] {
    display: grid;
    gap: 0.35rem;
  }
  [data-state] {
    --tone: var(--hw-neutral);
  }
  [data-state='complete'] {
    --tone: var(--hw-stage-complete, var(--hw-success));
  }
  [data-state='error'] {
    --tone: var(--hw-stage-error, var(--hw-danger));
  }
  [data-state='skipped'],
  [data-state='waiting'] {
    --tone: var(--hw-stage-skipped, var(--hw-neutral));
  }
  [data-state='interrupted'] {
    --tone: var(--hw-stage-interrupted, var(--hw-warning));
  }
  .track {
    position: relative;
    height: var(--hw-stage-timeline-height);
    border-radius: 4px;
    background: var(--hw-surface-2);
    box-shadow: inset 0 0 0 1px var(--hw-border);
    overflow: hidden;
  }
  .segment {
    position: absolute;
    top: 0;
    bottom: 0;
    min-width: 4px;
    display: grid;
    place-items: center;
    background: var(--tone);
    /* A ring in the card's colour keeps neighbours of the same state apart. */
    box-shadow: 0 0 0 1px var(--hw-surface);
    color: var(--hw-surface);
    font-size: 0.75rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    line-height: 1;
    container: segment / inline-size;
    overflow: hidden;
  }
  .segment:hover {
    filter: brightness(1.12);
  }
  @container segment (max-width: 1.1rem) {
    .segment .number {
      display: none;
    }
  }
  .axis {
    display: flex;
    justify-content: space-between;
    font-size: 0.75rem;
    font-variant-numeric: tabular-nums;
    color: var(--hw-text-muted);
  }
  .legend {
    list-style: none;
    margin: 0.35rem 0 0;
    padding: 0;
    display: grid;
    gap: 0.3rem;
    font-size: 0.875rem;
  }
  .legend li {
    display: grid;
    grid-template-columns: 1.25rem minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.5rem;
    min-width: 0;
  }
  .legend .number {
    display: grid;
    place-items: center;
    width: 1.25rem;
    height: 1.25rem;
    border-radius: 4px;
    font-size: 0.7rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--hw-surface);
    background: var(--tone);
  }
  .legend [data-state='skipped'] .number,
  .legend [data-state='waiting'] .number {
    color: var(--hw-text-muted);
    background: var(--hw-surface-2);
    box-shadow: inset 0 0 0 1px var(--hw-border);
  }
  .legend .label {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .legend [data-state='skipped'] .label,
  .legend [data-state='waiting'] .label {
    color: var(--hw-text-muted);
  }
  .legend .duration {
    font-variant-numeric: tabular-nums;
    color: var(--hw-text-muted);
  }
  /* Wide: the entries run on in lines; narrow: one a row, durations aligned on the right. */
  @container timeline (min-width: 36rem) {
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem 1.5rem;
    }
    .legend li {
      display: flex;
    }
  }
  .legend [data-state='error'] .duration {
    color: var(--hw-danger);
  }
  @media (prefers-reduced-motion: no-preference) {
    .segment {
      transition: filter 0.15s;
    }
  }
`;
