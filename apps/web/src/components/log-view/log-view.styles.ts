import { css } from 'lit';

export const logViewStyles = css`
  :host {
    display: block;
    --hw-log-view-height: min(60vh, 32rem);
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    border-radius: var(--hw-radius);
    overflow: hidden;
    background: var(--hw-log-bg);
    color: var(--hw-log-text);
    box-shadow: var(--hw-shadow);
    border: 1px solid var(--hw-log-border);
  }
  .viewport {
    position: relative;
  }
  lit-virtualizer,
  .all {
    height: var(--hw-log-view-height);
    min-height: 150px;
    padding: 0.5rem 0;
    font-family: var(--hw-font-mono);
    font-size: var(--hw-log-view-font-size, 0.8rem);
    line-height: 1.45;
    overflow-anchor: none;
  }
  .all {
    overflow: auto;
  }
  lit-virtualizer:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: -2px;
  }
  hw-log-line {
    width: 100%;
  }
  .note,
  .empty {
    margin: 0;
    padding: 0.3rem 0.75rem;
    color: var(--hw-log-muted);
    font-size: 0.8rem;
    font-style: italic;
  }
  .empty {
    position: absolute;
    inset: 0.5rem 0 auto 0;
    pointer-events: none;
  }
`;
