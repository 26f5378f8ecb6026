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
  }
  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    padding: 0.45rem 0.75rem;
    font-size: 0.8rem;
    color: var(--hw-log-muted);
    border-bottom: 1px solid rgb(255 255 255 / 0.08);
  }
  .count {
    margin-right: auto;
    font-variant-numeric: tabular-nums;
  }
  button {
    font: inherit;
    color: var(--hw-log-text);
    background: transparent;
    border: 1px solid rgb(255 255 255 / 0.2);
    border-radius: 6px;
    padding: 0.2rem 0.6rem;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
  }
  button::before {
    content: '';
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    border: 1px solid currentColor;
  }
  button[aria-pressed='true'] {
    border-color: var(--hw-log-success);
    color: var(--hw-log-success);
  }
  button[aria-pressed='true']::before {
    background: currentColor;
  }
  button:hover {
    background: rgb(255 255 255 / 0.06);
  }
  button:focus-visible,
  [part='lines']:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  [part='lines'] {
    height: var(--hw-log-view-height);
    overflow: auto;
    overflow-anchor: none;
    padding: 0.5rem 0;
    font-family: var(--hw-font-mono);
    font-size: var(--hw-log-view-font-size, 0.8rem);
    line-height: 1.45;
  }
  .note,
  .empty {
    padding: 0.2rem 0.75rem;
    color: var(--hw-log-muted);
    font-style: italic;
  }
  .line {
    display: flex;
    column-gap: 0.6rem;
    padding: 0 0.75rem;
  }
  .line:hover {
    background: rgb(255 255 255 / 0.04);
  }
  time {
    color: var(--hw-log-muted);
    font-variant-numeric: tabular-nums;
  }
  .stage {
    color: #82aaff;
  }
  .message {
    flex: 1;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    min-width: 0;
  }
  time,
  .stage {
    flex: none;
  }
  .level {
    font-weight: 700;
    margin-right: 0.4rem;
  }
  [data-level='debug'] .message {
    color: var(--hw-log-muted);
  }
  [data-level='warn'] .message,
  [data-level='warn'] .level {
    color: var(--hw-log-warn);
  }
  [data-level='error'] .message,
  [data-level='error'] .level {
    color: var(--hw-log-error);
  }
  [data-level='success'] .message {
    color: var(--hw-log-success);
  }
  @media (max-width: 480px) {
    .line {
      flex-wrap: wrap;
    }
    .line .message {
      flex-basis: 100%;
    }
  }

  /* ANSI SGR classes (see src/ansi.ts). */
  .b { font-weight: 700; }
  .dim { opacity: 0.7; }
  .i { font-style: italic; }
  .u { text-decoration: underline; }
  .fg-0 { color: #6b7280; }
  .fg-1 { color: #ff7b72; }
  .fg-2 { color: #7ee787; }
  .fg-3 { color: #f2cc60; }
  .fg-4 { color: #79c0ff; }
  .fg-5 { color: #d2a8ff; }
  .fg-6 { color: #56d4dd; }
  .fg-7 { color: #d6dae0; }
  .fg-8 { color: #8b949e; }
  .fg-9 { color: #ffa198; }
  .fg-10 { color: #56d364; }
  .fg-11 { color: #e3b341; }
  .fg-12 { color: #a5d6ff; }
  .fg-13 { color: #e2c5ff; }
  .fg-14 { color: #b3f0ff; }
  .fg-15 { color: #ffffff; }
  .bg-0 { background: #30363d; }
  .bg-1 { background: #8e1519; }
  .bg-2 { background: #1a5e2a; }
  .bg-3 { background: #6b4f0c; }
  .bg-4 { background: #1c4a8a; }
  .bg-5 { background: #5b2a86; }
  .bg-6 { background: #0f5257; }
  .bg-7 { background: #6e7681; }
  .bg-8 { background: #484f58; }
  .bg-9 { background: #b62324; }
  .bg-10 { background: #2ea043; }
  .bg-11 { background: #9e6a03; }
  .bg-12 { background: #1f6feb; }
  .bg-13 { background: #8957e5; }
  .bg-14 { background: #1b7c83; }
  .bg-15 { background: #b1bac4; }
`;
