import { css } from 'lit';

export const jobViewStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: 1.25rem;
  }
  header {
    display: grid;
    gap: 0.35rem;
  }
  .title-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }
  .attempt {
    font-size: 0.85rem;
    font-weight: 600;
    color: var(--hw-warning);
  }
  .action {
    margin-left: auto;
  }
  .meta {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.9rem;
  }
  code {
    font-family: var(--hw-font-mono);
    font-size: 0.9em;
  }
  .progress {
    display: grid;
    gap: 0.4rem;
  }
  .eta,
  .note {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.9rem;
  }
  .eta .basis {
    font-size: 0.85em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .reason,
  .alert {
    margin: 0;
    padding: 0.5rem 0.75rem;
    border-radius: var(--hw-radius);
    color: var(--hw-danger);
    background: var(--hw-danger-soft);
    overflow-wrap: anywhere;
  }
  .columns {
    display: grid;
    gap: 1.25rem;
    grid-template-columns: minmax(0, 1fr);
  }
  @media (min-width: 900px) {
    .columns {
      grid-template-columns: minmax(17rem, 22rem) minmax(0, 1fr);
      align-items: start;
    }
  }
`;
