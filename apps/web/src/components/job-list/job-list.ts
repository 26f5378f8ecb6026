import type { JobStatus, JobSummary, PipelineInfo } from '@headway/progress';
import { formatDuration } from '@headway/progress/format';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { createJob, listJobs, listPipelines } from '../../api.ts';
import { NavigateEvent } from '../../navigate-event.ts';
import type { RunEvent } from '../pipeline-card/pipeline-card.ts';
import '../pipeline-card/pipeline-card.ts';
import '../progress-bar/progress-bar.ts';
import type { ProgressBarState } from '../progress-bar/progress-bar.ts';
import '../status-badge/status-badge.ts';
import { baseStyles } from '../../base-styles.ts';
import { jobListStyles } from './job-list.styles.ts';

/** The recent-jobs table is refreshed this often (a live socket replaces this later). */
const REFRESH_MS = 3000;
const JOB_LIMIT = 50;

const barState = (status: JobStatus): ProgressBarState =>
  status === 'completed' ? 'completed' : status === 'failed' || status === 'cancelled' ? 'failed' : 'running';

function ago(iso: string): string {
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  return Number.isFinite(seconds) ? `${formatDuration(Math.max(0, seconds))} ago` : '';
}

/**
 * The home page: a card per pipeline to start a job, and the most recent jobs.
 *
 * @event hw-navigate - A job was created; `detail.path` is its page.
 * @csspart base - The page's wrapper.
 */
@customElement('hw-job-list')
export class HwJobList extends LitElement {
  static override styles = [baseStyles, jobListStyles];

  @state() private pipelines?: PipelineInfo[];
  @state() private pipelinesError?: string;
  @state() private jobs?: JobSummary[];
  @state() private total = 0;
  @state() private jobsError?: string;
  /** Name of the pipeline whose job is being created. */
  @state() private starting?: string;
  @state() private runErrors: Record<string, string> = {};

  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshing = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadPipelines();
    void this.#refreshJobs();
    this.#timer = setInterval(() => void this.#refreshJobs(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  async #loadPipelines(): Promise<void> {
    try {
      this.pipelines = await listPipelines();
      this.pipelinesError = undefined;
    } catch (error) {
      this.pipelinesError = (error as Error).message;
    }
  }

  async #refreshJobs(): Promise<void> {
    if (this.#refreshing || document.hidden) return;
    this.#refreshing = true;
    try {
      const page = await listJobs({ limit: JOB_LIMIT });
      this.jobs = page.jobs;
      this.total = page.total;
      this.jobsError = undefined;
    } catch (error) {
      this.jobsError = (error as Error).message;
    } finally {
      this.#refreshing = false;
    }
  }

  async #onRun(event: RunEvent): Promise<void> {
    const { pipeline, input } = event.detail;
    if (this.starting) return;
    this.starting = pipeline;
    this.runErrors = { ...this.runErrors, [pipeline]: '' };
    try {
      const job = await createJob({ pipeline, input });
      this.dispatchEvent(new NavigateEvent(`/jobs/${encodeURIComponent(job.id)}`));
    } catch (error) {
      this.runErrors = { ...this.runErrors, [pipeline]: (error as Error).message };
    } finally {
      this.starting = undefined;
    }
  }

  #renderPipelines() {
    if (this.pipelinesError) return html`<p class="error" role="alert">Could not load pipelines: ${this.pipelinesError}</p>`;
    if (!this.pipelines) return html`<p class="muted">Loading pipelines…</p>`;
    if (this.pipelines.length === 0) return html`<p class="muted">No pipelines are registered.</p>`;
    return html`<div class="pipelines" @hw-run=${this.#onRun}>
      ${this.pipelines.map(
        (p) => html`<hw-pipeline-card
          .pipeline=${p}
          ?busy=${this.starting === p.name}
          .error=${this.runErrors[p.name] || undefined}
        ></hw-pipeline-card>`,
      )}
    </div>`;
  }

  #renderJob(job: JobSummary, titles: Map<string, string>) {
    const href = `/jobs/${encodeURIComponent(job.id)}`;
    return html`<tr data-job-id=${job.id}>
      <td>
        <a href=${href}>${job.id}</a>
        ${job.name && job.name !== job.pipeline ? html`<span class="name">${job.name}</span>` : nothing}
      </td>
      <td class="wide">${titles.get(job.pipeline) ?? job.pipeline}</td>
      <td><hw-status-badge status=${job.status}></hw-status-badge></td>
      <td class="progress">
        <hw-progress-bar compact .percentage=${job.percentage} state=${barState(job.status)} label="Progress of job ${job.id}"></hw-progress-bar>
        ${job.status === 'active' && job.stage ? html`<span class="stage">${job.stage}</span>` : nothing}
      </td>
      <td class="wide"><time datetime=${job.createdAt} title=${new Date(job.createdAt).toLocaleString()}>${ago(job.createdAt)}</time></td>
    </tr>`;
  }

  #renderJobs() {
    const error = this.jobsError ? html`<p class="error" role="alert">Could not load jobs: ${this.jobsError}</p>` : nothing;
    if (!this.jobs) return html`${error}${this.jobsError ? nothing : html`<p class="muted">Loading jobs…</p>`}`;
    if (this.jobs.length === 0) return html`${error}<p class="muted">No jobs yet. Run a pipeline to start one.</p>`;
    const titles = new Map((this.pipelines ?? []).map((p) => [p.name, p.title]));
    return html`${error}
      <div class="table-wrap">
        <table aria-labelledby="jobs-heading">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col" class="wide">Pipeline</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col" class="wide">Created</th>
            </tr>
          </thead>
          <tbody>
            ${this.jobs.map((job) => this.#renderJob(job, titles))}
          </tbody>
        </table>
      </div>`;
  }

  override render() {
    const shown = this.jobs?.length ?? 0;
    return html`<div part="base">
      <section aria-labelledby="pipelines-heading">
        <h1 id="pipelines-heading">Pipelines</h1>
        ${this.#renderPipelines()}
      </section>
      <section aria-labelledby="jobs-heading">
        <div class="heading-row">
          <h2 id="jobs-heading">Recent jobs</h2>
          ${this.total > shown ? html`<p class="muted">Newest ${shown} of ${this.total}</p>` : nothing}
        </div>
        ${this.#renderJobs()}
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-job-list': HwJobList;
  }
}
