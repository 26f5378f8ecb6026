import { css } from 'lit';

export const previewStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  [part='base'] {
    display: grid;
    gap: 0.5rem;
    min-width: 0;
  }
  a {
    color: var(--hw-accent);
  }
  a:focus-visible,
  summary:focus-visible,
  .table-wrap:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
  .note {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.85rem;
  }
  .error {
    margin: 0;
    padding: 0.4rem 0.6rem;
    border-radius: var(--hw-radius);
    color: var(--hw-danger);
    background: var(--hw-danger-soft);
  }
  /* Charts are drawn for a light page; a light backdrop keeps them legible in dark mode. */
  .image {
    padding: 0.5rem;
    background: #fff;
    border: 1px solid var(--hw-border);
    border-radius: var(--hw-radius);
    overflow: auto;
  }
  .image img {
    display: block;
    max-width: 100%;
    height: auto;
    margin: 0 auto;
  }
  .text {
    margin: 0;
    max-height: 32rem;
    overflow: auto;
    padding: 0.6rem 0.75rem;
    background: var(--hw-log-bg);
    color: var(--hw-log-text);
    border: 1px solid var(--hw-log-border);
    border-radius: var(--hw-radius);
    font-family: var(--hw-font-mono);
    font-size: var(--hw-log-view-font-size, 0.8rem);
    line-height: 1.45;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .markdown {
    line-height: 1.6;
    overflow-wrap: anywhere;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3 {
    line-height: 1.25;
    margin: 1.2em 0 0.5em;
  }
  .markdown h1 {
    font-size: 1.4rem;
  }
  .markdown h2 {
    font-size: 1.15rem;
  }
  .markdown h3 {
    font-size: 1rem;
  }
  .markdown img {
    max-width: 100%;
    height: auto;
    background: #fff;
    border-radius: 4px;
  }
  .markdown code,
  .markdown pre {
    font-family: var(--hw-font-mono);
    font-size: 0.88em;
    background: var(--hw-surface-2);
    border-radius: 4px;
  }
  .markdown code {
    padding: 0.1em 0.3em;
  }
  .markdown pre {
    padding: 0.6rem 0.75rem;
    overflow: auto;
  }
  .markdown pre code {
    padding: 0;
    background: none;
  }
  .markdown blockquote {
    margin: 0.8em 0;
    padding-left: 0.9em;
    border-left: 3px solid var(--hw-border);
    color: var(--hw-text-muted);
  }
  .markdown table,
  table {
    border-collapse: collapse;
    font-size: 0.88rem;
  }
  .markdown table {
    display: block;
    overflow-x: auto;
  }
  th,
  td {
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--hw-border);
    text-align: left;
    vertical-align: top;
  }
  th {
    background: var(--hw-surface-2);
    position: sticky;
    top: 0;
  }
  .table-wrap {
    max-height: 32rem;
    overflow: auto;
    border-radius: var(--hw-radius);
  }
  .table-wrap td {
    white-space: pre-wrap;
  }
  .missing-image {
    color: var(--hw-text-muted);
  }
  .json {
    font-family: var(--hw-font-mono);
    font-size: 0.82rem;
    line-height: 1.5;
    max-height: 32rem;
    overflow: auto;
    padding: 0.5rem 0.6rem;
    background: var(--hw-log-bg);
    border: 1px solid var(--hw-log-border);
    border-radius: var(--hw-radius);
  }
  .json summary {
    cursor: pointer;
  }
  .json .children {
    padding-left: 1.1rem;
    border-left: 1px dotted var(--hw-border);
    margin-left: 0.3rem;
  }
  .json .leaf {
    padding-left: 1rem;
    overflow-wrap: anywhere;
  }
  .json .key {
    color: var(--hw-log-stage);
  }
  .json .count,
  .json .omitted {
    color: var(--hw-text-muted);
    font-style: italic;
    padding: 0 0.3em;
  }
  .v-string {
    color: var(--hw-log-success);
  }
  .v-number,
  .v-boolean {
    color: var(--hw-log-warn);
  }
  .v-null {
    color: var(--hw-log-muted);
  }
`;
