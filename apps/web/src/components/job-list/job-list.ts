import type {
  ConnectionInfo,
  JobListQuery,
  JobListServerMessage,
  JobListView,
  JobStatus,
  JobStatusFilter,
  JobSummary,
  PipelineInfo,
} from '@headway/progress/client';
import { applyJobListMessage, formatDuration, formatEta, slowerThanUsual } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { createJob, listPipelines, noticeSocketClose } from '../../api.ts';
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

const PAGE_SIZE = 20;
const STATUS_FILTERS: JobStatusFilter[] = ['waiting', 'active', 'completed', 'failed'];
/** Typing in the search box asks the server once it pauses for this long. */
const SEARCH_DELAY_MS = 250;
/** How often the "… ago" times are redrawn; the jobs themselves arrive over the socket. */
const CLOCK_MS = 5000;

const barState = (status: JobStatus): ProgressBarState =>
  status === 'completed' ? 'completed' : status === 'failed' || status === 'cancelled' ? 'failed' : 'running';

/** What the time column says: time left while it runs, how long it took once it has ended. */
function timing(job: JobSummary): string {
  if (job.status === 'active') return job.eta ? formatEta(job.eta).replace(/^about /, '') : 'estimating…';
  if (job.startedAt && job.finishedAt) return `took ${formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)}`;
  return '—';
}

/** "started 17:34:02 · ended 17:34:29", for the time column's tooltip. */
function spanOf(job: JobSummary): string {
  const at = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString() : undefined);
  return [at(job.startedAt) && `started ${at(job.startedAt)}`, at(job.finishedAt) && `ended ${at(job.finishedAt)}`]
    .filter(Boolean)
    .join(' · ');
}

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

  /** The signed-in role may run jobs (operator, admin): otherwise no Run form is shown. */
  @property({ type: Boolean, attribute: 'can-run' }) canRun = true;

  @state() private pipelines?: PipelineInfo[];
  @state() private pipelinesError?: string;
  @state() private list?: JobListView;
  @state() private jobsError?: string;
  @state() private connection: ConnectionInfo = { state: 'connecting' };
  /** Name of the pipeline whose job is being created. */
  @state() private starting?: string;
  @state() private runErrors: Record<string, string> = {};
  /** Filters, search and page of the list; a change takes a fresh snapshot. */
  @state() private query: JobListQuery = { limit: PAGE_SIZE };

  #socket?: JobListSocket;
  #clock: ReturnType<typeof setInterval> | undefined;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadPipelines();
    this.#follow();
    this.#clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#socket?.close();
    this.#socket = undefined;
    clearInterval(this.#clock);
    clearTimeout(this.#searchTimer);
  }

  #follow(): void {
    this.#socket?.close();
    const query = this.query;
    this.#socket = new JobListSocket({
      query,
      onMessage: (message) => this.#onJobListMessage(message, query),
      onStateChange: (info) => {
        this.connection = info;
        noticeSocketClose(info);
      },
    });
    this.#socket.connect();
  }

  #setQuery(change: Partial<JobListQuery>): void {
    const query: JobListQuery = { ...this.query, offset: 0, ...change };
    for (const key of Object.keys(query) as (keyof JobListQuery)[]) if (query[key] === '' || query[key] === undefined) delete query[key];
    if (!query.offset) delete query.offset;
    this.query = query;
    this.#follow();
  }

  #onSearch(event: InputEvent): void {
    const q = (event.target as HTMLInputElement).value.trim();
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#setQuery({ q: q || undefined }), SEARCH_DELAY_MS);
  }

  async #loadPipelines(): Promise<void> {
    try {
      this.pipelines = await listPipelines();
      this.pipelinesError = undefined;
    } catch (error) {
      this.pipelinesError = (error as Error).message;
    }
  }

  #onJobListMessage(message: JobListServerMessage, query: JobListQuery): void {
    // A socket closed for an older query may still deliver a last message.
    if (query !== this.query) return;
    if (message.type === 'error') {
      this.jobsError = message.message;
      return;
    }
    this.list = applyJobListMessage(message.type === 'jobs' ? undefined : this.list, message, query);
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
          .readOnly=${!this.canRun}
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
        ${job.artifacts ? html`<span class="artifacts">${job.artifacts} file${job.artifacts === 1 ? '' : 's'}</span>` : nothing}
      </td>
      <td class="wide">${titles.get(job.pipeline) ?? job.pipeline}</td>
      <td><hw-status-badge status=${job.status}></hw-status-badge></td>
      <td class="progress">
        <hw-progress-bar compact .percentage=${job.percentage} state=${barState(job.status)} label="Progress of job ${job.id}"></hw-progress-bar>
        ${job.status === 'active' && job.stage ? html`<span class="stage">${job.stage}</span>` : nothing}
        ${job.status === 'active' && job.slow ? html`<span class="slow">${slowerThanUsual(job.slow)}</span>` : nothing}
      </td>
      <td class="timing" title=${spanOf(job) || nothing}>${timing(job)}</td>
      <td class="wide"><time datetime=${job.createdAt} title=${new Date(job.createdAt).toLocaleString()}>${ago(job.createdAt)}</time></td>
    </tr>`;
  }

  #renderJobs() {
    const error = this.jobsError ? html`<p class="error" role="alert">Could not load jobs: ${this.jobsError}</p>` : nothing;
    const jobs = this.list?.jobs;
    if (!jobs) return html`${error}${this.jobsError ? nothing : html`<p class="muted">Loading jobs…</p>`}`;
    if (jobs.length === 0) {
      const filtered = this.query.status || this.query.pipeline || this.query.q;
      return html`${error}<p class="muted">${filtered ? 'No job matches these filters.' : 'No jobs yet. Run a pipeline to start one.'}</p>`;
    }
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
              <th scope="col">Time</th>
              <th scope="col" class="wide">Created</th>
            </tr>
          </thead>
          <tbody>
            ${repeat(
              jobs,
              (job) => job.id,
              (job) => this.#renderJob(job, titles),
            )}
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

  #renderFilters() {
    const { status = '', pipeline = '', q = '' } = this.query;
    return html`<form class="filters" role="search" aria-label="Filter jobs" @submit=${(e: Event) => e.preventDefault()}>
      <label>
        <span>Status</span>
        <select @change=${(e: Event) => this.#setQuery({ status: ((e.target as HTMLSelectElement).value || undefined) as JobStatusFilter })}>
          <option value="" ?selected=${!status}>All</option>
          ${STATUS_FILTERS.map((s) => html`<option value=${s} ?selected=${status === s}>${s === 'failed' ? 'failed or cancelled' : s}</option>`)}
        </select>
      </label>
      <label>
        <span>Pipeline</span>
        <select @change=${(e: Event) => this.#setQuery({ pipeline: (e.target as HTMLSelectElement).value || undefined })}>
          <option value="" ?selected=${!pipeline}>All</option>
          ${(this.pipelines ?? []).map((p) => html`<option value=${p.name} ?selected=${pipeline === p.name}>${p.title}</option>`)}
        </select>
      </label>
      <label class="search">
        <span>Search</span>
        <input type="search" aria-label="Search jobs" placeholder="id or name" maxlength="100" .value=${q} @input=${this.#onSearch} />
      </label>
    </form>`;
  }

  #renderPaging() {
    const total = this.list?.total ?? 0;
    const shown = this.list?.jobs.length ?? 0;
    const offset = this.query.offset ?? 0;
    if (total <= PAGE_SIZE && offset === 0) return nothing;
    const page = (offset: number) => this.#setQuery({ offset, status: this.query.status, pipeline: this.query.pipeline, q: this.query.q });
    return html`<nav class="paging" aria-label="Pages of jobs">
      <button type="button" ?disabled=${offset === 0} @click=${() => page(Math.max(0, offset - PAGE_SIZE))}>← Newer</button>
      <span class="muted">${shown ? `${offset + 1}–${offset + shown}` : '0'} of ${total}</span>
      <button type="button" ?disabled=${offset + shown >= total} @click=${() => page(offset + PAGE_SIZE)}>Older →</button>
    </nav>`;
  }

  override render() {
    return html`<div part="base">
      <section aria-labelledby="pipelines-heading">
        <h1 id="pipelines-heading">Pipelines</h1>
        ${this.#renderPipelines()}
      </section>
      <section aria-labelledby="jobs-heading">
        <div class="heading-row">
          <h2 id="jobs-heading">Jobs</h2>
          ${this.#renderConnection()}
        </div>
        ${this.#renderFilters()} ${this.#renderJobs()} ${this.#renderPaging()}
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-job-list': HwJobList;
  }
}
