import type { ErrorCode, JobStatus, JobSummary, PipelineInfo, ServerMessage } from '@headway/progress/client';
import {
  CLOSE_UNKNOWN_JOB,
  type ConnectionInfo,
  describeEtaBasis,
  etaBasisLabel,
  foldServerMessage,
  formatEta,
  isTerminal,
  type JobView,
  type JobWatch,
  ProgressSocket,
} from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../connection-status/connection-status.ts';
import '../log-view/log-view.ts';
import '../notify-button/notify-button.ts';
import type { LogLine } from '../log-view/log-view.ts';
import '../progress-bar/progress-bar.ts';
import '../results/results.ts';
import '../share-link/share-link.ts';
import type { ProgressBarState } from '../progress-bar/progress-bar.ts';
import '../stage-list/stage-list.ts';
import '../stage-timeline/stage-timeline.ts';
import '../stall-notice/stall-notice.ts';
import '../status-badge/status-badge.ts';
import { cancelJob, noticeSocketClose, retryJob } from '../../api.ts';
import { baseStyles, pageStyles } from '../../base-styles.ts';
import { restoreFavicon, showJobFavicon } from '../../job-favicon.ts';
import { jobViewStyles } from './job-view.styles.ts';

/** Log lines kept in memory (the log view is virtualized); older ones are dropped (and counted) beyond this. */
export const MAX_LOG_LINES = 1_000_000;
/** Messages are folded as they come and drawn at most this often. */
const FLUSH_MS = 50;
const NOT_FOUND_CODES: readonly ErrorCode[] = ['JOB_NOT_FOUND', 'NOT_FOUND'];

const CANCELLABLE: readonly JobStatus[] = ['waiting', 'active', 'stalled', 'retrying'];
const RETRYABLE: readonly JobStatus[] = ['failed', 'cancelled'];

const barState = (status: JobStatus): ProgressBarState =>
  status === 'completed' ? 'completed' : status === 'failed' || status === 'cancelled' ? 'failed' : 'running';

/** " · run by vera · cancelled by olga": who acted on the job, as the API recorded it. */
function actorsOf(job: JobSummary | undefined): string {
  if (!job) return '';
  const acts = [
    job.runBy && `run by ${job.runBy}`,
    job.retriedBy && `retried by ${job.retriedBy}`,
    job.cancelledBy && `cancelled by ${job.cancelledBy}`,
  ].filter(Boolean);
  return acts.map((act) => ` · ${act}`).join('');
}

/**
 * One job, live: its status, overall progress and ETA (with what the estimate rests on), stages,
 * log and the files it made (Results), and once it has finished a timeline of its stages, from the
 * progress WebSocket (`/ws/jobs/:id/progress`), resuming after the last event on every reconnect.
 *
 * @csspart base - The page's wrapper.
 * @csspart eta - The time-left line while the job runs; its `title` names the estimate's basis.
 */
@customElement('hw-job-view')
export class HwJobView extends LitElement {
  static override styles = [baseStyles, pageStyles, jobViewStyles];

  @property({ attribute: 'job-id' }) jobId = '';
  /** An artifact to open in Results (from its permalink). */
  @property() artifact?: string;
  /** The signed-in role may cancel, retry and share (operator, admin): otherwise no such button. */
  @property({ type: Boolean, attribute: 'can-operate' }) canOperate = true;
  /** Opened through a share link: this job is all the page can read. */
  @property({ type: Boolean }) shared = false;

  @state() private job?: JobSummary;
  @state() private pipeline?: PipelineInfo;
  @state() private view?: JobView;
  @state() private lines: LogLine[] = [];
  @state() private dropped = 0;
  @state() private connection: ConnectionInfo = { state: 'connecting' };
  @state() private notFound = false;
  @state() private serverError?: string;
  /** Why part of the history could not be replayed, after a `reset`. */
  @state() private resetReason?: string;
  /** The Cancel or Retry request in flight; the socket shows its outcome. */
  @state() private acting?: 'cancel' | 'retry';

  #socket?: ProgressSocket;
  /** The fold and new lines between flushes. */
  /** What the job's socket has told so far (the model's fold). */
  #told: JobWatch = {};
  #view?: JobView;
  #pendingLines: LogLine[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatch();
    restoreFavicon();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('jobId') && this.isConnected) this.#watch();
  }

  override updated(): void {
    if (!this.view) return;
    const title = this.#title();
    document.title = `${Math.round(this.view.percentage)} % · ${title} · Headway`;
    // Closing the socket on leaving updates the element once more, after the icon was restored.
    if (this.isConnected) showJobFavicon(this.view.status);
  }

  #watch(): void {
    if (!this.jobId || this.#socket?.jobId === this.jobId) return;
    this.#unwatch();
    this.job = this.pipeline = this.view = this.#view = this.serverError = this.resetReason = undefined;
    this.#told = {};
    this.lines = [];
    this.dropped = 0;
    this.notFound = false;
    this.#socket = new ProgressSocket(this.jobId, {
      onMessage: (message) => this.#onMessage(message),
      onStateChange: (info) => {
        this.connection = info;
        if (info.closeCode === CLOSE_UNKNOWN_JOB) this.notFound = true;
        noticeSocketClose(info);
      },
    });
    this.#socket.connect();
  }

  #unwatch(): void {
    this.#socket?.close();
    this.#socket = undefined;
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#pendingLines = [];
  }

  #onMessage(message: ServerMessage): void {
    const step = foldServerMessage(this.#told, message);
    this.#told = step.watch;
    this.#view = step.watch.view;
    // The fold drops duplicates (by `seq`), and so does the log.
    for (const { entry } of step.applied) this.#pendingLines.push(entry);
    switch (message.type) {
      case 'initial_status':
        this.job = message.job;
        this.pipeline = message.pipeline;
        this.serverError = undefined;
        break;
      case 'reset':
        this.job = message.job;
        this.resetReason = message.reason;
        break;
      case 'error':
        if (NOT_FOUND_CODES.includes(message.code)) this.notFound = true;
        else this.serverError = message.message;
        break;
    }
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    this.#flushTimer = undefined;
    this.view = this.#view;
    if (this.#pendingLines.length === 0) return;
    let lines = this.lines.concat(this.#pendingLines);
    this.#pendingLines = [];
    if (lines.length > MAX_LOG_LINES) {
      this.dropped += lines.length - MAX_LOG_LINES;
      lines = lines.slice(-MAX_LOG_LINES);
    }
    this.lines = lines;
  }

  async #act(action: 'cancel' | 'retry'): Promise<void> {
    this.acting = action;
    this.serverError = undefined;
    try {
      await (action === 'cancel' ? cancelJob(this.jobId) : retryJob(this.jobId, this.view?.attempt));
    } catch (error) {
      this.serverError = error instanceof Error ? error.message : String(error);
    } finally {
      this.acting = undefined;
    }
  }

  #title(): string {
    const name = this.job?.name;
    if (name && name !== this.pipeline?.name) return name;
    return this.pipeline?.title ?? `Job ${this.jobId}`;
  }

  /** " · Literature review (history · compare)": its pipeline's page, and this run beside another once it has one. */
  #renderPipelineLinks(pipeline: PipelineInfo) {
    const base = `/pipelines/${encodeURIComponent(pipeline.name)}`;
    const done = this.view?.status === 'completed';
    return html` · <a href=${base} title="Its pipeline's history">${pipeline.title}</a>${
      done ? html` (<a href="${base}/compare?b=${encodeURIComponent(this.jobId)}">compare with another run</a>)` : nothing
    }`;
  }

  #renderNotFound() {
    return html`<section part="base">
      <a class="back" href="/">← All jobs</a>
      <h1>Job ${this.jobId} not found</h1>
      <p class="meta">It may never have existed, or its history has expired.</p>
    </section>`;
  }

  #renderActions({ status }: JobView) {
    if (!this.canOperate) return nothing;
    return html`${this.#renderAction(status)}<hw-share-link job-id=${this.jobId}></hw-share-link>`;
  }

  #renderAction(status: JobStatus) {
    const busy = this.acting !== undefined;
    if (CANCELLABLE.includes(status)) {
      return html`<button class="action" type="button" aria-label="Cancel job" ?disabled=${busy} @click=${() => this.#act('cancel')}>
        ${this.acting === 'cancel' ? 'Cancelling…' : 'Cancel'}
      </button>`;
    }
    if (RETRYABLE.includes(status)) {
      return html`<button class="action" type="button" aria-label="Retry job" ?disabled=${busy} @click=${() => this.#act('retry')}>
        ${this.acting === 'retry' ? 'Retrying…' : 'Retry'}
      </button>`;
    }
    return nothing;
  }

  /** "about 3 min left (2 min – 5 min) · from history", the basis spelled out in its tooltip. */
  #renderEta({ eta }: JobView) {
    const description = describeEtaBasis(eta?.basis);
    const label = etaBasisLabel(eta?.basis);
    return html`<p class="eta" part="eta" title=${description} data-basis=${eta?.basis ?? 'none'}>
      <span>${formatEta(eta)}</span>${label ? html`<span class="basis" aria-hidden="true"> · ${label}</span>` : nothing}<span
        class="visually-hidden"
        >. ${description}.</span
      >
    </p>`;
  }

  /** Once the job has finished, its stages' durations on one bar, if any stage has times. */
  #renderTimeline(view: JobView) {
    if (!isTerminal(view.status) || !view.stages.some((s) => s.startedAt && s.state !== 'skipped')) return nothing;
    // The job's own times only when they belong to the attempt the stages show.
    const job = this.job?.attempt === view.attempt ? this.job : undefined;
    return html`<section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <hw-stage-timeline .stages=${view.stages} .startedAt=${job?.startedAt} .endedAt=${job?.finishedAt}></hw-stage-timeline>
    </section>`;
  }

  #renderProgress(view: JobView) {
    const finished = isTerminal(view.status);
    const showReason = view.reason && view.status !== 'active' && view.status !== 'completed';
    return html`<section class="card progress" aria-label="Progress">
      <hw-progress-bar .percentage=${view.percentage} state=${barState(view.status)}></hw-progress-bar>
      ${finished ? nothing : this.#renderEta(view)}
      <hw-stall-notice .lastEventAt=${view.lastEventAt} ?active=${view.status === 'active'}></hw-stall-notice>
      ${showReason ? html`<p class="reason">${view.reason}</p>` : nothing}
      ${
        view.missing > 0 || this.resetReason
          ? html`<p class="note">
            ${view.missing > 0 ? `${view.missing.toLocaleString()} events could not be replayed` : 'Part of the history could not be replayed'}:
            ${this.resetReason ?? 'no longer retained'}.
          </p>`
          : nothing
      }
    </section>`;
  }

  override render() {
    if (this.notFound) return this.#renderNotFound();
    const view = this.view;
    const { state, closeCode, closeReason } = this.connection;
    const attempts = this.job?.attempts;
    return html`<article part="base">
      ${this.shared ? html`<p class="meta">Shared with you, read-only</p>` : html`<a class="back" href="/">← All jobs</a>`}
      <header>
        <div class="title-row">
          <h1>${this.#title()}</h1>
          ${view ? html`<hw-status-badge status=${view.status}></hw-status-badge>` : nothing}
          ${
            view && view.attempt > 1
              ? html`<span class="attempt">Attempt ${view.attempt}${attempts && attempts >= view.attempt ? ` of ${attempts}` : ''}</span>`
              : nothing
          }
          ${view ? this.#renderActions(view) : nothing}
          ${
            view
              ? html`<hw-notify-button
                  job-id=${this.jobId}
                  job-title=${this.#title()}
                  .status=${view.status}
                  .reason=${view.reason}
                ></hw-notify-button>`
              : nothing
          }
        </div>
        <p class="meta">
          Job <code>${this.jobId}</code>${this.pipeline ? this.#renderPipelineLinks(this.pipeline) : nothing}${
            this.job ? html` · created ${new Date(this.job.createdAt).toLocaleString()}` : nothing
          }${actorsOf(this.job)}
        </p>
        <hw-connection-status state=${state} .closeCode=${closeCode} .closeReason=${closeReason}></hw-connection-status>
      </header>
      ${this.serverError ? html`<p class="alert" role="alert">${this.serverError}</p>` : nothing}
      ${view ? this.#renderProgress(view) : nothing}
      ${view ? this.#renderTimeline(view) : nothing}
      <hw-results
        job-id=${this.jobId}
        .artifacts=${view?.artifacts ?? []}
        .stages=${this.pipeline?.stages ?? []}
        .open=${this.artifact}
      ></hw-results>
      <div class="columns">
        <section class="card" aria-labelledby="stages-heading">
          <h2 id="stages-heading">Stages</h2>
          <hw-stage-list .stages=${view?.stages ?? []} .running=${!!view && !isTerminal(view.status)}></hw-stage-list>
        </section>
        <section aria-labelledby="log-heading">
          <h2 id="log-heading">Log</h2>
          <hw-log-view .lines=${this.lines} .dropped=${this.dropped} job-id=${this.jobId}></hw-log-view>
        </section>
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-job-view': HwJobView;
  }
}
