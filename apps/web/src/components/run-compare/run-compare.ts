import type { HistoryJob, StageSpec } from '@headway/progress/client';
import { formatPreciseDuration } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { baseStyles } from '../../base-styles.ts';
import { pipelinePageStyles } from '../pipeline-page/pipeline-page.styles.ts';
import { type CompareRow, compareRuns, formatChange } from './compare-runs.ts';

/**
 * Two runs of one pipeline, stage by stage: each stage's time in the first and the second run,
 * a pair of bars on one scale, and how much slower or faster the second was.
 *
 * @csspart table - The table (it scrolls sideways inside its wrapper when the screen is narrow).
 */
@customElement('hw-run-compare')
export class HwRunCompare extends LitElement {
  static override styles = [baseStyles, pipelinePageStyles];

  @property({ attribute: false }) stages: StageSpec[] = [];
  @property({ attribute: false }) a?: HistoryJob;
  @property({ attribute: false }) b?: HistoryJob;

  #renderRow(row: CompareRow, max: number, total = false) {
    const width = (s: number) => styleMap({ width: `${max > 0 ? (100 * s) / max : 0}%` });
    const tone = Math.abs(row.change) < 0.05 ? '' : row.change > 0 ? 'slower' : 'faster';
    return html`<tr class=${total ? 'total' : ''} data-stage=${row.name}>
      <th scope="row">${row.label}</th>
      <td class="num">${formatPreciseDuration(row.a)}</td>
      <td class="num">${formatPreciseDuration(row.b)}</td>
      <td class="num ${tone}">${formatChange(row, formatPreciseDuration)}</td>
      <td aria-hidden="true">
        ${total ? nothing : html`<div class="bars"><div class="bar a" style=${width(row.a)}></div><div class="bar b" style=${width(row.b)}></div></div>`}
      </td>
    </tr>`;
  }

  override render() {
    const { a, b } = this;
    if (!a || !b) return nothing;
    const { rows, total } = compareRuns(this.stages, a, b);
    const max = Math.max(...rows.flatMap((r) => [r.a, r.b]));
    // Focusable: on a narrow screen the table scrolls sideways, and a keyboard must reach that too.
    return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Stage times compared">
      <table part="table" aria-label="Job ${a.jobId} and job ${b.jobId}, stage by stage">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" class="num">Job ${a.jobId}</th>
            <th scope="col" class="num">Job ${b.jobId}</th>
            <th scope="col" class="num">Change</th>
            <th scope="col"><span class="visually-hidden">Bars</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => this.#renderRow(row, max))} ${this.#renderRow(total, max, true)}
          ${
            a.size !== undefined || b.size !== undefined
              ? html`<tr><th scope="row">Size</th><td class="num">${a.size ?? '—'}</td><td class="num">${b.size ?? '—'}</td><td></td><td></td></tr>`
              : nothing
          }
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-run-compare': HwRunCompare;
  }
}
