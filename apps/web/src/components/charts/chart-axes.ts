// The y axis (gridlines and labels) and the bottom axis line the charts share, as SVG fragments.
import { formatDuration } from '@headway/progress/client';
import { svg } from 'lit';

export interface Plot {
  /** The whole drawing, in pixels. */
  width: number;
  height: number;
  /** The plotting area inside the axes. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function plotArea(width: number, height: number, left = 52): Plot {
  return { width, height, left, right: width - 10, top: 8, bottom: height - 24 };
}

/** Horizontal gridlines with their labels on the left, and the baseline. */
export function yAxis(plot: Plot, ticks: readonly number[], y: (v: number) => number, label: (v: number) => string) {
  return svg`<g class="axis" aria-hidden="true">
    ${ticks.map(
      (t) => svg`<line x1=${plot.left} x2=${plot.right} y1=${y(t)} y2=${y(t)} stroke-opacity="0.6"></line>
        <text x=${plot.left - 6} y=${y(t)} dy="0.32em" text-anchor="end">${label(t)}</text>`,
    )}
    <line x1=${plot.left} x2=${plot.right} y1=${plot.bottom} y2=${plot.bottom}></line>
  </g>`;
}

/** A duration tick's label: fractions of a second where the ticks are that close (0.2 s, 1.5 s), else as elsewhere. */
export function durationTick(seconds: number): string {
  return seconds < 10 ? `${Number(seconds.toFixed(2))} s` : formatDuration(seconds);
}

/** Labels under the plot: one at each end (oldest, newest), or at each tick. */
export function xLabels(plot: Plot, labels: readonly { at: number; text: string; anchor?: 'start' | 'middle' | 'end' }[]) {
  return svg`<g class="axis" aria-hidden="true">
    ${labels.map((l) => svg`<text x=${l.at} y=${plot.bottom + 16} text-anchor=${l.anchor ?? 'middle'}>${l.text}</text>`)}
  </g>`;
}
