import type { HistoryJob, PipelineHistory, PipelineInfo } from '@headway/progress/client';
import { formatDuration, formatUsualBand } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { getPipelineHistory, listPipelines } from '../../api.ts';
import { baseStyles, pageStyles } from '../../base-styles.ts';
import '../eta-error-chart/eta-error-chart.ts';
import '../run-compare/run-compare.ts';
import '../size-chart/size-chart.ts';
import '../stage-chart/stage-chart.ts';
import { pipelinePageStyles } from './pipeline-page.styles.ts';

/** "Job 42 · 24 Nov 12:05 · 1 min 5 s", an option of the run pickers. */
export function runLabel(job: HistoryJob): string {
  const when = job.finishedAt
    ? ` · ${new Date(job.finishedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`
    : '';
  return `Job ${job.jobId}${when} · ${formatDuration(job.seconds)}`;
}

/**
 * A pipeline's history, the one its ETA learns from: each stage's usual time, the durations of
 * its last jobs per stage, their sizes against their times, and how far off the ETA was job after
 * job; and two runs compared stage by stage (`compare`, from `?a=<id>&b=<id>`).
 *
 * @csspart base - The page's wrapper.
 */
@customElement('hw-pipeline-page')
export class HwPipelinePage extends LitElement {
  static override styles = [baseStyles, pageStyles, pipelinePageStyles];

  @property() name = '';
  /** Shows the compare view instead of the charts. */
  @property({ type: Boolean }) compare = false;

  @state() private history?: PipelineHistory;
  @state() private info?: PipelineInfo;
  @state() private error?: string;
  /** The runs picked to compare, by job id. */
  @state() private picked: { a?: string; b?: string } = {};

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('name')) void this.#load();
    if (changed.has('compare') || changed.has('name')) {
      const query = new URLSearchParams(location.search);
      this.picked = { a: query.get('a') ?? undefined, b: query.get('b') ?? undefined };
    }
  }

  override updated(): void {
    const title = this.info?.title ?? this.name;
    document.title = `${this.compare ? 'Compare runs' : 'History'} · ${title} · Headway`;
  }

  async #load(): Promise<void> {
    const name = this.name;
    this.history = this.error = undefined;
    try {
      const [history, pipelines] = await Promise.all([getPipelineHistory(name), listPipelines()]);
      if (name !== this.name) return;
      this.history = history;
      this.info = pipelines.find((p) => p.name === name);
    } catch (error) {
      if (name === this.name) this.error = (error as Error).message;
    }
  }

  get #title(): string {
    return this.info?.title ?? this.name;
  }

  /** Named runs, newest first: only those can be compared. */
  get #runs(): HistoryJob[] {
    return (this.history?.jobs ?? []).filter((j) => j.jobId);
  }

  #pick(which: 'a' | 'b', id: string): void {
    this.picked = { ...this.picked, [which]: id };
    if (this.compare) {
      const query = new URLSearchParams(location.search);
      query.set(which, id);
      history.replaceState(null, '', `${location.pathname}?${query}`);
    }
  }

  #compareHref(a?: string, b?: string): string {
    const query = new URLSearchParams();
    if (a) query.set('a', a);
    if (b) query.set('b', b);
    return `/pipelines/${encodeURIComponent(this.name)}/compare?${query}`;
  }

  #renderPickers() {
    const runs = this.#runs;
    const { a = runs[1]?.jobId, b = runs[0]?.jobId } = this.picked;
    const picker = (which: 'a' | 'b', label: string, value?: string) => html`<label>
      <span>${label}</span>
      <select aria-label=${label} @change=${(e: Event) => this.#pick(which, (e.target as HTMLSelectElement).value)}>
        ${value && !runs.some((r) => r.jobId === value) ? html`<option value=${value} selected>Job ${value} (not in history)</option>` : nothing}
        ${runs.map((r) => html`<option value=${r.jobId!} ?selected=${r.jobId === value}>${runLabel(r)}</option>`)}
      </select>
    </label>`;
    return html`<form class="pick" @submit=${(e: Event) => e.preventDefault()}>
      ${picker('a', 'First run', a)} ${picker('b', 'Second run', b)}
      ${this.compare ? nothing : html`<a class="button" href=${this.#compareHref(a, b)}>Compare</a>`}
    </form>`;
  }

  #renderUsual(history: PipelineHistory) {
    if (history.usual.length === 0) return nothing;
    const labels = new Map(history.stages.map((s) => [s.name, s.label]));
    return html`<section class="card" aria-labelledby="usual-heading">
      <h2 id="usual-heading">Usual stage times</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr><th scope="col">Stage</th><th scope="col" class="num">Usually (8 jobs in 10)</th></tr>
          </thead>
          <tbody>
            ${history.usual.map((u) => html`<tr><td>${labels.get(u.stage) ?? u.stage}</td><td class="num">${formatUsualBand(u)}</td></tr>`)}
          </tbody>
        </table>
      </div>
      <p class="muted">A running stage past the top of its band, scaled to its job's size, says "slower than usual".</p>
    </section>`;
  }

  #renderCharts(history: PipelineHistory) {
    if (history.jobs.length === 0) {
      return html`<p class="muted">No finished job yet: run this pipeline once and its history starts here.</p>`;
    }
    return html`${this.#renderUsual(history)}
      <section class="card" aria-labelledby="stages-heading">
        <h2 id="stages-heading">Stage durations</h2>
        <hw-stage-chart .stages=${history.stages} .jobs=${history.jobs}></hw-stage-chart>
      </section>
      <section class="card" aria-labelledby="size-heading">
        <h2 id="size-heading">Size and time</h2>
        <hw-size-chart .jobs=${history.jobs}></hw-size-chart>
      </section>
      <section class="card" aria-labelledby="eta-heading">
        <h2 id="eta-heading">ETA error</h2>
        <hw-eta-error-chart .jobs=${history.jobs}></hw-eta-error-chart>
        <p class="muted">At 25 % and 50 % of each job's time: the time left the ETA said, minus the time really left, as a share of the job's time.</p>
      </section>
      ${
        this.#runs.length >= 2
          ? html`<section class="card" aria-labelledby="compare-heading">
            <h2 id="compare-heading">Compare two runs</h2>
            ${this.#renderPickers()}
          </section>`
          : nothing
      }`;
  }

  #renderCompare(history: PipelineHistory) {
    const runs = this.#runs;
    const { a = runs[1]?.jobId, b = runs[0]?.jobId } = this.picked;
    const find = (id?: string) => runs.find((r) => r.jobId === id);
    const missing = [a, b].filter((id) => id && !find(id));
    return html`<section class="card" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Two runs, stage by stage</h2>
      ${this.#renderPickers()}
      ${
        missing.length
          ? html`<p class="error" role="alert">
            ${missing.map((id) => `Job ${id}`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not in this pipeline's history: a job
            is there once it has completed, among the last 200.
          </p>`
          : nothing
      }
      <hw-run-compare .stages=${history.stages} .a=${find(a)} .b=${find(b)}></hw-run-compare>
    </section>`;
  }

  override render() {
    const history = this.history;
    const base = `/pipelines/${encodeURIComponent(this.name)}`;
    return html`<article part="base">
      ${this.compare ? html`<a class="back" href=${base}>← History of ${this.#title}</a>` : html`<a class="back" href="/">← All jobs</a>`}
      <header>
        <h1>${this.compare ? `Compare runs of ${this.#title}` : this.#title}</h1>
        ${
          history && !this.compare
            ? html`<p class="meta">
              The last ${history.jobs.length} finished ${history.jobs.length === 1 ? 'job' : 'jobs'}: what its ETA learns from.
            </p>`
            : nothing
        }
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${!history && !this.error ? html`<p class="muted">Loading history…</p>` : nothing}
      ${history ? (this.compare ? this.#renderCompare(history) : this.#renderCharts(history)) : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-pipeline-page': HwPipelinePage;
  }
}
