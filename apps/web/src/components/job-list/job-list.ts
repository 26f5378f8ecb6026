import type { JobListQuery, JobListServerMessage, JobListView, JobStatus, JobSummary, PipelineInfo } from '@headway/progress';
import { formatDuration } from '@headway/progress/format';
import { applyJobListMessage } from '@headway/progress/job-list-view';
import type { ConnectionInfo } from '@headway/progress/progress-socket';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { createJob, listPipelines } from '../../api.ts';
import { JobListSocket } from '../../job-list-socket.ts';
import { NavigateEvent } from '../../navigate-event.ts';
import '../connection-status/connection-status.ts';
import type { RunEvent } from '../pipeline-card/pipeline-card.ts';
import '../pipeline-card/pipeline-card.ts';
import '../progress-bar/progress-bar.ts';
import type { ProgressBarState } from '../progress-bar/progress-bar.ts';
import '../status-badge/status-badge.ts';
import { baseStyles } from '../../base-styles.ts';
import { jobListStyles } from './job-list.styles.ts';

const QUERY: JobListQuery = { limit: 50 };
/** How often the "… ago" times are redrawn; the jobs themselves arrive over the socket. */
const CLOCK_MS = 5000;

const barState = (status: JobStatus): ProgressBarState =>
  status === 'completed' ? 'completed' : status === 'failed' || status === 'cancelled' ? 'failed' : 'running';

function ago(iso: string): string {
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  return Number.isFinite(seconds) ? `${formatDuration(Math.max(0, seconds))} ago` : '';
}

/**
 * The home page: a card per pipeline to start a job, and the most recent jobs, kept live by the
 * `/ws/jobs` socket (a new job appears, its status and progress change in place).
 *
 * @event hw-navigate - A job was created; `detail.path` is its page.
 * @csspart base - The page's wrapper.
 */
@customElement('hw-job-list')
export class HwJobList extends LitElement {
  static override styles = [baseStyles, jobListStyles];

  @state() private pipelines?: PipelineInfo[];
  @state() private pipelinesError?: string;
  @state() private list?: JobListView;
  @state() private jobsError?: string;
  @state() private connection: ConnectionInfo = { state: 'connecting' };
  /** Name of the pipeline whose job is being created. */
  @state() private starting?: string;
  @state() private runErrors: Record<string, string> = {};

  #socket?: JobListSocket;
  #clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadPipelines();
    this.#socket = new JobListSocket({
      query: QUERY,
      onMessage: (message) => this.#onJobListMessage(message),
      onStateChange: (info) => (this.connection = info),
    });
    this.#socket.connect();
    this.#clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#socket?.close();
    this.#socket = undefined;
    clearInterval(this.#clock);
  }

  async #loadPipelines(): Promise<void> {
    try {
      this.pipelines = await listPipelines();
      this.pipelinesError = undefined;
    } catch (error) {
      this.pipelinesError = (error as Error).message;
    }
  }

  #onJobListMessage(message: JobListServerMessage): void {
    if (message.type === 'error') {
      this.jobsError = message.message;
      return;
    }
    this.list = applyJobListMessage(this.list, message, QUERY);
    this.jobsError = undefined;
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
    const jobs = this.list?.jobs;
    if (!jobs) return html`${error}${this.jobsError ? nothing : html`<p class="muted">Loading jobs…</p>`}`;
    if (jobs.length === 0) return html`${error}<p class="muted">No jobs yet. Run a pipeline to start one.</p>`;
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
            ${repeat(jobs, (job) => job.id, (job) => this.#renderJob(job, titles))}
          </tbody>
        </table>
      </div>`;
  }

  /** Only when the list is not live: a connection that works needs no word. */
  #renderConnection() {
    const { state, closeCode, closeReason } = this.connection;
    if (state === 'live' || (state === 'connecting' && !this.list)) return nothing;
    return html`<hw-connection-status state=${state} .closeCode=${closeCode} .closeReason=${closeReason}></hw-connection-status>`;
  }

  override render() {
    const shown = this.list?.jobs.length ?? 0;
    const total = this.list?.total ?? 0;
    return html`<div part="base">
      <section aria-labelledby="pipelines-heading">
        <h1 id="pipelines-heading">Pipelines</h1>
        ${this.#renderPipelines()}
      </section>
      <section aria-labelledby="jobs-heading">
        <div class="heading-row">
          <h2 id="jobs-heading">Recent jobs</h2>
          ${total > shown ? html`<p class="muted">Newest ${shown} of ${total}</p>` : nothing}
          ${this.#renderConnection()}
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
