import type { HistoryJob } from '@headway/progress/client';
import { formatDuration } from '@headway/progress/client';
import { html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { chartStyles, seriesClass } from '../charts/chart.styles.ts';
import { durationTick, plotArea, xLabels, yAxis } from '../charts/chart-axes.ts';
import { linearScale, niceTicks } from '../charts/chart-scale.ts';
import { ChartWidth } from '../charts/chart-width.ts';

const HEIGHT = 220;

/**
 * Each finished job's size against its total time: how much a bigger input costs, and which jobs
 * took long for their size. A pipeline that states no size gets a sentence instead.
 *
 * @csspart base - The figure.
 */
@customElement('hw-size-chart')
export class HwSizeChart extends LitElement {
  static override styles = chartStyles;

  @property({ attribute: false }) jobs: HistoryJob[] = [];
  /** What a unit of size is, for the axis ("papers"); "size" by default. */
  @property() unit = 'size';

  readonly #width = new ChartWidth(this);

  override render() {
    const jobs = this.jobs.filter((j): j is HistoryJob & { size: number } => j.size !== undefined && j.size > 0);
    if (jobs.length === 0) return html`<p class="empty">These jobs state no size, so there is nothing to plot against it.</p>`;
    const plot = plotArea(this.#width.value, HEIGHT);
    const sizes = jobs.map((j) => j.size);
    const xTicks = niceTicks(Math.min(...sizes), Math.max(...sizes), plot.width < 420 ? 3 : 5);
    const yTicks = niceTicks(0, Math.max(...jobs.map((j) => j.seconds)));
    const x = linearScale(xTicks[0]!, xTicks.at(-1)!, plot.left + 6, plot.right - 6);
    const y = linearScale(0, yTicks.at(-1)!, plot.bottom, plot.top);
    const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
    const perUnit = (j: { seconds: number; size: number }) => j.seconds / j.size;
    const rates = jobs.map(perUnit).sort((a, b) => a - b);
    const desc = `${jobs.length} jobs of ${this.unit} ${small} to ${large}. Median ${formatDuration(
      rates[Math.floor(rates.length / 2)]! * 10,
    )} per 10 ${this.unit}.`;
    return html`<figure part="base">
      <svg viewBox="0 0 ${plot.width} ${plot.height}" width=${plot.width} height=${plot.height} role="img" aria-labelledby="title desc">
        <title id="title">Job size against total time</title>
        <desc id="desc">${desc}</desc>
        ${yAxis(plot, yTicks, y, durationTick)}
        ${xLabels(
          plot,
          xTicks.map((t) => ({ at: x(t), text: String(t) })),
        )}
        ${jobs.map(
          (j) =>
            svg`<circle class="point ${seriesClass(0)}" cx=${x(j.size)} cy=${y(j.seconds)} r="3.5"><title>${
              j.jobId ? `Job ${j.jobId}` : 'A job'
            }: ${this.unit} ${j.size}, ${formatDuration(j.seconds)}</title></circle>`,
        )}
      </svg>
      <p class="empty">Across: ${this.unit}. Up: the job's total time.</p>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-size-chart': HwSizeChart;
  }
}
