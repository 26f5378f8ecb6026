// What every chart shares: a palette for stages that holds in light and dark, axes, legend.
import { css } from 'lit';

/** Colours of the series, by index (a stage's place in its pipeline): class `sN` fills with `--hw-chart-N`. */
export const SERIES_COLOURS = 8;
export const seriesClass = (index: number) => `s${(index % SERIES_COLOURS) + 1}`;

export const chartStyles = css`
  :host {
    display: block;
    min-width: 0;
    --hw-chart-1: #0072b2;
    --hw-chart-2: #e69f00;
    --hw-chart-3: #009e73;
    --hw-chart-4: #cc79a7;
    --hw-chart-5: #56b4e9;
    --hw-chart-6: #d55e00;
    --hw-chart-7: #8c8c00;
    --hw-chart-8: #6a51a3;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --hw-chart-1: #4ea3e6;
      --hw-chart-2: #f0b429;
      --hw-chart-3: #2fc79a;
      --hw-chart-4: #e08fc0;
      --hw-chart-5: #8fd3ff;
      --hw-chart-6: #ff8a4c;
      --hw-chart-7: #c9c94a;
      --hw-chart-8: #a98bd9;
    }
  }
  figure {
    margin: 0;
  }
  svg {
    display: block;
    width: 100%;
    height: auto;
    overflow: visible;
  }
  .axis text {
    font-size: 11px;
    fill: var(--hw-text-muted);
    font-family: var(--hw-font);
  }
  .axis line,
  .axis path {
    stroke: var(--hw-border);
    shape-rendering: crispEdges;
  }
  .zero {
    stroke: var(--hw-text-muted);
    stroke-dasharray: 3 3;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.9rem;
    margin: 0.5rem 0 0;
    padding: 0;
    list-style: none;
    font-size: 0.82rem;
    color: var(--hw-text);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  .swatch {
    display: inline-block;
    width: 0.8rem;
    height: 0.8rem;
    border-radius: 2px;
    flex: none;
  }
  .s1 {
    fill: var(--hw-chart-1);
    background: var(--hw-chart-1);
    color: var(--hw-chart-1);
  }
  .s2 {
    fill: var(--hw-chart-2);
    background: var(--hw-chart-2);
    color: var(--hw-chart-2);
  }
  .s3 {
    fill: var(--hw-chart-3);
    background: var(--hw-chart-3);
    color: var(--hw-chart-3);
  }
  .s4 {
    fill: var(--hw-chart-4);
    background: var(--hw-chart-4);
    color: var(--hw-chart-4);
  }
  .s5 {
    fill: var(--hw-chart-5);
    background: var(--hw-chart-5);
    color: var(--hw-chart-5);
  }
  .s6 {
    fill: var(--hw-chart-6);
    background: var(--hw-chart-6);
    color: var(--hw-chart-6);
  }
  .s7 {
    fill: var(--hw-chart-7);
    background: var(--hw-chart-7);
    color: var(--hw-chart-7);
  }
  .s8 {
    fill: var(--hw-chart-8);
    background: var(--hw-chart-8);
    color: var(--hw-chart-8);
  }
  .point {
    fill-opacity: 0.75;
    stroke: var(--hw-surface);
    stroke-width: 0.75;
  }
  .empty {
    margin: 0;
    color: var(--hw-text-muted);
    font-size: 0.9rem;
  }
`;
