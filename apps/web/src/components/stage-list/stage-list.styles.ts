import { css } from 'lit';

export const stageListStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  [part~='stage'] {
    --tone: var(--hw-neutral);
    --tone-soft: transparent;
    display: grid;
    grid-template-columns: 1.75rem minmax(0, 1fr) auto;
    gap: 0.6rem;
    align-items: start;
    padding: 0.55rem 0.75rem;
    border: 1px solid var(--hw-border);
    border-left: 4px solid var(--tone);
    border-radius: var(--hw-radius);
    background: var(--tone-soft);
  }
  [data-state='waiting'] {
    --tone: var(--hw-border);
  }
  [data-state='active'] {
    --tone: var(--hw-stage-active, var(--hw-accent));
    --tone-soft: var(--hw-accent-soft);
  }
  [data-state='complete'] {
    --tone: var(--hw-stage-complete, var(--hw-success));
    --tone-soft: var(--hw-success-soft);
  }
  [data-state='error'] {
    --tone: var(--hw-stage-error, var(--hw-danger));
    --tone-soft: var(--hw-danger-soft);
  }
  [data-state='skipped'] {
    --tone: var(--hw-stage-skipped, var(--hw-neutral));
    --tone-soft: var(--hw-neutral-soft);
  }
  [part='icon'] {
    display: grid;
    place-items: center;
    width: 1.75rem;
    height: 1.75rem;
    border-radius: 50%;
    font-size: 0.9rem;
    font-weight: 700;
    color: var(--hw-surface);
    background: var(--tone);
  }
  [data-state='waiting'] [part='icon'] {
    color: var(--hw-text-muted);
    background: var(--hw-surface-2);
    box-shadow: inset 0 0 0 1px var(--hw-border);
  }
  [data-state='active'] [part='icon'] {
    animation: spin 1.6s linear infinite;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: 0.6rem;
    row-gap: 0.1rem;
  }
  .label {
    font-weight: 600;
  }
  .slow {
    margin: 0.2rem 0 0;
    font-size: 0.85rem;
    font-weight: 600;
    color: var(--hw-warning);
  }
  .state {
    font-size: 0.75rem;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--tone);
  }
  [data-state='waiting'] .state {
    color: var(--hw-text-muted);
  }
  .iteration {
    font-size: 0.85rem;
    padding: 0 0.45em;
    border-radius: 999px;
    background: var(--hw-surface);
    box-shadow: inset 0 0 0 1px var(--hw-border);
  }
  .elapsed {
    line-height: 1.75rem;
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
    color: var(--hw-text-muted);
  }
  .message {
    margin: 0.15rem 0 0;
    font-size: 0.85rem;
    color: var(--hw-text-muted);
    overflow-wrap: anywhere;
  }
  .stage-progress {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-top: 0.3rem;
    font-size: 0.8rem;
    font-variant-numeric: tabular-nums;
    color: var(--hw-text-muted);
  }
  .stage-track {
    flex: 1;
    height: 0.3rem;
    border-radius: 999px;
    background: var(--hw-surface);
    box-shadow: inset 0 0 0 1px var(--hw-border);
    overflow: hidden;
  }
  .stage-fill {
    height: 100%;
    background: var(--tone);
    transition: width 0.3s ease-out;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [data-state='active'] [part='icon'] {
      animation: none;
    }
    .stage-fill {
      transition: none;
    }
  }
  .last-iteration {
    margin: 0.15rem 0 0;
    font-size: 0.8rem;
    color: var(--hw-text-muted);
  }
`;
