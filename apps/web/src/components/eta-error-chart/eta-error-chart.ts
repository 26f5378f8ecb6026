import type { HistoryJob } from '@headway/progress/client';
import { html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { chartStyles, seriesClass } from '../charts/chart.styles.ts';
import { plotArea, xLabels, yAxis } from '../charts/chart-axes.ts';
import { linearScale, niceTicks } from '../charts/chart-scale.ts';
import { ChartWidth } from '../charts/chart-width.ts';

const HEIGHT = 200;
const POINTS = [
  { key: 'at25', label: 'at 25 % of the job' },
  { key: 'at50', label: 'at 50 % of the job' },
] as const;

/** The ETA's error as a share of the job's time, signed: + it said too long, − too short. */
const errorPct = (job: HistoryJob, key: 'at25' | 'at50'): number | undefined => {
  const error = job.etaError?.[key];
  return error === undefined || job.seconds <= 0 ? undefined : (100 * error) / job.seconds;
};

const pct = (v: number) => `${v > 0 ? '+' : ''}${Math.round(v)} %`;

/**
 * How far off the ETA was, job after job (oldest on the left): at 25 % and at 50 % of each job's
 * time, the estimate then shown minus the time really left, as a share of the job's time. Points
 * near the dashed zero line are good estimates; a trend toward it is the ETA learning.
 *
 * @csspart base - The figure.
 */
@customElement('hw-eta-error-chart')
export class HwEtaErrorChart extends LitElement {
  static override styles = chartStyles;

  /** Newest first, as the API lists them. */
  @property({ attribute: false }) jobs: HistoryJob[] = [];

  readonly #width = new ChartWidth(this);

  override render() {
    const jobs = [...this.jobs].reverse();
    const measured = jobs.filter((j) => j.etaError);
    if (measured.length === 0) return html`<p class="empty">No job has recorded its ETA's error yet.</p>`;
    const plot = plotArea(this.#width.value, HEIGHT, 46);
    const values = measured.flatMap((j) => POINTS.flatMap(({ key }) => errorPct(j, key) ?? []));
    const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
    const y = linearScale(ticks[0]!, ticks.at(-1)!, plot.bottom, plot.top);
    const step = (plot.right - plot.left) / jobs.length;
    const x = (i: number) => plot.left + (i + 0.5) * step;
    const medianAbs = (key: 'at25' | 'at50') => {
      const abs = measured
        .flatMap((j) => errorPct(j, key) ?? [])
        .map(Math.abs)
        .sort((a, b) => a - b);
      return abs.length ? `${Math.round(abs[Math.floor(abs.length / 2)]!)} %` : 'not measured';
    };
    const desc = `${measured.length} jobs, oldest on the left. Typical error ${POINTS.map((p) => `${p.label}: ${medianAbs(p.key)}`).join('; ')} of the job's time.`;
    return html`<figure part="base">
      <svg viewBox="0 0 ${plot.width} ${plot.height}" width=${plot.width} height=${plot.height} role="img" aria-labelledby="title desc">
        <title id="title">The ETA's error, job after job</title>
        <desc id="desc">${desc}</desc>
        ${yAxis(plot, ticks, y, pct)}
        <line class="zero" x1=${plot.left} x2=${plot.right} y1=${y(0)} y2=${y(0)} aria-hidden="true"></line>
        ${POINTS.map(({ key, label }, k) =>
          jobs.map((job, i) => {
            const v = errorPct(job, key);
            if (v === undefined) return svg``;
            const tip = `${job.jobId ? `Job ${job.jobId}` : 'A job'}, ${label}: ${pct(v)} of its time`;
            return k === 0
              ? svg`<circle class="point ${seriesClass(k)}" cx=${x(i)} cy=${y(v)} r="3.5"><title>${tip}</title></circle>`
              : svg`<rect class="point ${seriesClass(k)}" x=${x(i) - 3} y=${y(v) - 3} width="6" height="6"><title>${tip}</title></rect>`;
          }),
        )}
        ${xLabels(plot, [
          { at: plot.left, text: 'oldest', anchor: 'start' },
          { at: plot.right, text: 'newest', anchor: 'end' },
        ])}
      </svg>
      <ul class="legend" aria-label="Series">
        ${POINTS.map((p, k) => html`<li><span class="swatch ${seriesClass(k)}"></span>${p.label}</li>`)}
      </ul>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-eta-error-chart': HwEtaErrorChart;
  }
}
