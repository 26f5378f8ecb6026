import type { HistoryJob, StageSpec } from '@headway/progress/client';
import { formatDuration } from '@headway/progress/client';
import { html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { chartStyles, seriesClass } from '../charts/chart.styles.ts';
import { durationTick, plotArea, xLabels, yAxis } from '../charts/chart-axes.ts';
import { linearScale, niceTicks } from '../charts/chart-scale.ts';
import { ChartWidth } from '../charts/chart-width.ts';

const HEIGHT = 220;

/** "Job 42 · 1 min 5 s: Judge 10 s, Gap analysis 40 s, …", each bar's tooltip. */
function describeJob(job: HistoryJob, stages: readonly StageSpec[]): string {
  const parts = stages.flatMap((s) => {
    const seconds = job.stages.find((x) => x.name === s.name)?.seconds;
    return seconds ? [`${s.label} ${formatDuration(seconds)}`] : [];
  });
  return `${job.jobId ? `Job ${job.jobId}` : 'A job'} · ${formatDuration(job.seconds)}: ${parts.join(', ')}`;
}

/**
 * A pipeline's last jobs as stacked bars, oldest on the left: each bar is one job, each band in
 * it a stage's time, so a stage that has grown or a job that ran long stands out.
 *
 * @csspart base - The figure.
 * @cssproperty --hw-chart-1 - … `--hw-chart-8`: the stages' colours, in order.
 */
@customElement('hw-stage-chart')
export class HwStageChart extends LitElement {
  static override styles = chartStyles;

  @property({ attribute: false }) stages: StageSpec[] = [];
  /** Newest first, as the API lists them. */
  @property({ attribute: false }) jobs: HistoryJob[] = [];

  readonly #width = new ChartWidth(this);

  #description(jobs: readonly HistoryJob[]): string {
    const totals = jobs.map((j) => j.seconds).sort((a, b) => a - b);
    const median = totals[Math.floor(totals.length / 2)] ?? 0;
    const share = this.stages
      .map((s) => ({ s, seconds: jobs.reduce((sum, j) => sum + (j.stages.find((x) => x.name === s.name)?.seconds ?? 0), 0) }))
      .sort((a, b) => b.seconds - a.seconds)[0];
    return `${jobs.length} jobs, oldest on the left. Total time ${formatDuration(totals[0] ?? 0)} to ${formatDuration(
      totals.at(-1) ?? 0,
    )}, median ${formatDuration(median)}.${share ? ` ${share.s.label} takes the most time.` : ''}`;
  }

  override render() {
    const jobs = [...this.jobs].reverse();
    if (jobs.length === 0) return html`<p class="empty">No finished jobs yet.</p>`;
    const plot = plotArea(this.#width.value, HEIGHT);
    const ticks = niceTicks(0, Math.max(...jobs.map((j) => j.seconds)));
    const y = linearScale(0, ticks.at(-1)!, plot.bottom, plot.top);
    const step = (plot.right - plot.left) / jobs.length;
    const barWidth = Math.max(0.5, step > 3 ? step - 1 : step);
    return html`<figure part="base">
      <svg viewBox="0 0 ${plot.width} ${plot.height}" width=${plot.width} height=${plot.height} role="img" aria-labelledby="title desc">
        <title id="title">Stage durations of the last ${jobs.length} jobs</title>
        <desc id="desc">${this.#description(jobs)}</desc>
        ${yAxis(plot, ticks, y, durationTick)}
        ${jobs.map((job, i) => {
          let top = 0;
          return svg`<g class="bar"><title>${describeJob(job, this.stages)}</title>${this.stages.map((stage, k) => {
            const seconds = job.stages.find((s) => s.name === stage.name)?.seconds ?? 0;
            if (seconds <= 0) return svg``;
            const y0 = y(top);
            top += seconds;
            return svg`<rect x=${plot.left + i * step} width=${barWidth} y=${y(top)} height=${Math.max(0.5, y0 - y(top))} class=${seriesClass(k)}></rect>`;
          })}</g>`;
        })}
        ${xLabels(plot, [
          { at: plot.left, text: 'oldest', anchor: 'start' },
          { at: plot.right, text: 'newest', anchor: 'end' },
        ])}
      </svg>
      <ul class="legend" aria-label="Stages">
        ${this.stages.map((s, k) => html`<li><span class="swatch ${seriesClass(k)}"></span>${s.label}</li>`)}
      </ul>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-stage-chart': HwStageChart;
  }
}
