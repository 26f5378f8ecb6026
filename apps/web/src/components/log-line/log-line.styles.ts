import { css } from 'lit';

/** For the shadow root that holds `<hw-log-line>` rows: they render in its light DOM. */
export const logLineStyles = css`
  hw-log-line {
    display: block;
    /* The 16 ANSI colours, readable on the log's background in each colour scheme. */
    --ansi-0: #57606a; --ansi-1: #cf222e; --ansi-2: #116329; --ansi-3: #7d4e00;
    --ansi-4: #0550ae; --ansi-5: #8250df; --ansi-6: #1b7c83; --ansi-7: #6e7781;
    --ansi-8: #6e7781; --ansi-9: #a40e26; --ansi-10: #1a7f37; --ansi-11: #633c01;
    --ansi-12: #218bff; --ansi-13: #a475f9; --ansi-14: #3192aa; --ansi-15: #8c959f;
  }
  @media (prefers-color-scheme: dark) {
    hw-log-line {
      --ansi-0: #6b7280; --ansi-1: #ff7b72; --ansi-2: #7ee787; --ansi-3: #f2cc60;
      --ansi-4: #79c0ff; --ansi-5: #d2a8ff; --ansi-6: #56d4dd; --ansi-7: #d6dae0;
      --ansi-8: #8b949e; --ansi-9: #ffa198; --ansi-10: #56d364; --ansi-11: #e3b341;
      --ansi-12: #a5d6ff; --ansi-13: #e2c5ff; --ansi-14: #b3f0ff; --ansi-15: #ffffff;
    }
  }
  .line {
    display: flex;
    column-gap: 0.6rem;
    padding: 0 0.75rem 0 0;
    border-left: 3px solid transparent;
  }
  .line:hover {
    background: var(--hw-log-hover);
  }
  hw-log-line[current] .line {
    background: var(--hw-log-current);
  }
  hw-log-line[target] .line {
    background: var(--hw-log-target);
    border-left-color: var(--hw-accent);
  }
  .number {
    flex: none;
    min-width: 3.5em;
    text-align: right;
    color: var(--hw-log-muted);
    text-decoration: none;
    font-variant-numeric: tabular-nums;
    user-select: none;
  }
  .number:hover {
    color: var(--hw-log-text);
    text-decoration: underline;
  }
  .number:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: -1px;
  }
  time {
    flex: none;
    color: var(--hw-log-muted);
    font-variant-numeric: tabular-nums;
  }
  .stage {
    flex: none;
    color: var(--hw-log-stage);
  }
  .message {
    flex: 1;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    min-width: 0;
  }
  .level {
    font-weight: 700;
  }
  mark {
    background: var(--hw-log-mark, #f2cc60);
    color: #1b1f24;
    border-radius: 2px;
  }
  [data-tone='debug'] .message {
    color: var(--hw-log-muted);
  }
  [data-tone='warn'] .message,
  [data-tone='warn'] .level {
    color: var(--hw-log-warn);
  }
  [data-tone='error'] .message,
  [data-tone='error'] .level {
    color: var(--hw-log-error);
  }
  [data-tone='success'] .message {
    color: var(--hw-log-success);
  }
  @media (max-width: 480px) {
    .line {
      flex-wrap: wrap;
    }
    .message {
      flex-basis: 100%;
      padding-left: calc(3.5em + 0.6rem + 3px);
    }
  }

  /* ANSI classes (see src/ansi.ts). */
  .b { font-weight: 700; }
  .dim { opacity: 0.7; }
  .i { font-style: italic; }
  .u { text-decoration: underline; }
  .s { text-decoration: line-through; }
  .fg-0 { color: var(--ansi-0); } .fg-1 { color: var(--ansi-1); } .fg-2 { color: var(--ansi-2); } .fg-3 { color: var(--ansi-3); }
  .fg-4 { color: var(--ansi-4); } .fg-5 { color: var(--ansi-5); } .fg-6 { color: var(--ansi-6); } .fg-7 { color: var(--ansi-7); }
  .fg-8 { color: var(--ansi-8); } .fg-9 { color: var(--ansi-9); } .fg-10 { color: var(--ansi-10); } .fg-11 { color: var(--ansi-11); }
  .fg-12 { color: var(--ansi-12); } .fg-13 { color: var(--ansi-13); } .fg-14 { color: var(--ansi-14); } .fg-15 { color: var(--ansi-15); }
  :where([class*='bg-']) { color: #fff; }
  .bg-0 { background: #30363d; } .bg-1 { background: #8e1519; } .bg-2 { background: #1a5e2a; } .bg-3 { background: #6b4f0c; }
  .bg-4 { background: #1c4a8a; } .bg-5 { background: #5b2a86; } .bg-6 { background: #0f5257; } .bg-7 { background: #6e7681; }
  .bg-8 { background: #484f58; } .bg-9 { background: #b62324; } .bg-10 { background: #2ea043; } .bg-11 { background: #9e6a03; }
  .bg-12 { background: #1f6feb; } .bg-13 { background: #8957e5; } .bg-14 { background: #1b7c83; } .bg-15 { background: #b1bac4; }
`;
