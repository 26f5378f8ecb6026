// Follows one job over its progress WebSocket with the shared ProgressSocket (which resumes after
// its cursor on every drop, with backoff and jitter), folds the events as the web app does, prints
// them, and resolves with the exit code the job earns.
import {
  type AppliedEntry,
  artifactMessage,
  CLOSE_UNAUTHORIZED,
  CLOSE_UNKNOWN_JOB,
  type ConnectionInfo,
  createJobView,
  foldServerMessage,
  isTerminalCloseCode,
  type JobStatus,
  type JobSummary,
  type JobView,
  type JobWatch,
  type PipelineInfo,
  ProgressSocket,
  type ServerMessage,
  type StageSpec,
} from '@headway/progress/client';
import { logLine, missingLine, oneLine, paint, stageLine, statusLine, summaryLine } from './job-lines.ts';
import type { TerminalOutput } from './terminal-output.ts';

export const EXIT_COMPLETED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export interface FollowOptions {
  /** The API's base as a WebSocket URL (`ws://127.0.0.1:3000`). */
  origin: string;
  /** The API token, when it has one. */
  token?: string;
  out: TerminalOutput;
  /** Says why the job cannot be followed (standard error). */
  complain: (message: string) => void;
  color: boolean;
  /** Aborting stops watching (the job keeps running) and resolves with 130. */
  signal: AbortSignal;
  /** Called once the job has ended (not when watching stops otherwise), before the result. */
  onEnd?: (end: { status: JobStatus; name?: string; reason?: string }) => Promise<void> | void;
}

export function followJob(jobId: string, options: FollowOptions): Promise<number> {
  return new Promise((resolve) => new JobFollower(jobId, options, resolve).start());
}

class JobFollower {
  readonly #socket: ProgressSocket;
  /** What the job's socket has told so far (the model's fold). */
  #told: JobWatch = {};
  /** `attempt:stage` of the last stage announced, and `attempt:stage:iteration` of the last iteration. */
  #announcedStage = '';
  #announcedIteration = '';
  /** `attempt:stage` of the stages said to be slower than usual: each is said once. */
  readonly #announcedSlow = new Set<string>();
  #everLive = false;
  #dropped = false;
  #errorMessage?: string;
  #done = false;
  #lastTs?: string;

  constructor(
    readonly jobId: string,
    private readonly options: FollowOptions,
    private readonly resolve: (code: number) => void,
  ) {
    this.#socket = new ProgressSocket(jobId, {
      origin: options.origin,
      ...(options.token && { headers: { authorization: `Bearer ${options.token}` } }),
      onMessage: (message) => this.#onMessage(message),
      onStateChange: (info) => this.#onStateChange(info),
    });
  }

  start(): void {
    const { signal } = this.options;
    if (signal.aborted) return void this.#interrupted();
    signal.addEventListener('abort', () => this.#interrupted(), { once: true });
    this.#socket.connect();
    this.#print([]);
  }

  get #stages(): readonly StageSpec[] {
    return this.#told.pipeline?.stages ?? [];
  }

  #onMessage(message: ServerMessage): void {
    if (this.#done) return;
    const lines: string[] = [];
    const step = foldServerMessage(this.#told, message);
    this.#told = step.watch;
    switch (message.type) {
      case 'initial_status':
        // Back only once the server serves the job again (a socket it closes at once is not).
        if (this.#dropped) lines.push('reconnected');
        this.#dropped = false;
        this.#everLive = true;
        if (step.started) lines.push(this.#header(message.job, message.pipeline));
        break;
      case 'reset': {
        const { stage } = this.#currentView();
        lines.push(`⚠ ${oneLine(message.reason)}: showing the job as it is now`);
        if (stage && stage !== step.resetFrom?.stage) this.#announce(stage, lines);
        break;
      }
      case 'job_complete':
        this.#print(lines);
        return void this.#finished(message.status);
      case 'error': {
        const repeated = this.#errorMessage === oneLine(message.message);
        this.#errorMessage = oneLine(message.message);
        // A server that cannot serve the job yet says so on every attempt: once is enough.
        if (message.code !== 'JOB_NOT_FOUND' && !repeated) lines.push(`⚠ the API says: ${this.#errorMessage}`);
        break;
      }
    }
    for (const applied of step.applied) this.#describe(applied, lines);
    this.#print(lines);
  }

  /** The lines one applied event prints (the fold has dropped duplicates, by `seq`). */
  #describe({ entry, before, after: view }: AppliedEntry, lines: string[]): void {
    const { event } = entry;
    this.#lastTs = event.ts;
    if (view.missing > before.missing) lines.push(missingLine(view.missing - before.missing));
    if (view.attempt > before.attempt) lines.push(`attempt ${view.attempt} of ${this.#told.job?.attempts ?? view.attempt}`);
    const color = this.options.color;
    switch (event.kind) {
      case 'log':
        lines.push(logLine(event, color));
        break;
      case 'progress': {
        const key = `${view.attempt}:${event.stage}`;
        if (event.phase === 'skipped') {
          lines.push(stageLine(event.ts, event.stage, this.#stages, view, { kind: 'skipped' }, color));
          this.#announcedStage = key;
          break;
        }
        if (this.#announcedStage !== key) this.#announce(event.stage, lines, event.ts);
        if (event.phase === 'error') {
          lines.push(stageLine(event.ts, event.stage, this.#stages, view, { kind: 'failed', message: event.message }, color));
        }
        if (event.iteration !== undefined && this.#announcedIteration !== `${key}:${event.iteration}`) {
          this.#announcedIteration = `${key}:${event.iteration}`;
          lines.push(stageLine(event.ts, event.stage, this.#stages, view, { kind: 'iteration', iteration: event.iteration }, color));
        }
        if (event.slow && !this.#announcedSlow.has(key)) {
          this.#announcedSlow.add(key);
          lines.push(stageLine(event.ts, event.stage, this.#stages, view, { kind: 'slow', band: event.slow }, color));
        }
        break;
      }
      case 'status': {
        const p = paint(color);
        const reason = event.reason ? `: ${oneLine(event.reason)}` : '';
        if (event.status === 'active' && event.reason) lines.push(p('cyan', `▶ ${oneLine(event.reason)}`));
        if (event.status === 'retrying') lines.push(p('yellow', `⟳ attempt ${event.attempt} failed${reason}; retrying`));
        if (event.status === 'stalled') lines.push(p('yellow', `⚠ the job stalled${reason}`));
        break;
      }
      case 'artifact':
        lines.push(`${paint(color)('cyan', '▣')} ${oneLine(artifactMessage(event))}`);
        break;
    }
  }

  #announce(stage: string, lines: string[], ts = new Date().toISOString()): void {
    const view = this.#currentView();
    this.#announcedStage = `${view.attempt}:${stage}`;
    lines.push(stageLine(ts, stage, this.#stages, view, { kind: 'started' }, this.options.color));
  }

  #onStateChange(info: ConnectionInfo): void {
    if (this.#done) return;
    if (info.state === 'live') {
      this.#print([]);
    } else if (info.state === 'reconnecting' && !this.#dropped && info.retryAt !== undefined) {
      this.#dropped = true;
      const reason = info.closeReason && info.closeReason !== 'connection lost' ? ` (${info.closeReason})` : '';
      const what = this.#everLive ? `connection lost${reason}` : `cannot reach ${this.options.origin}${reason}`;
      this.#print([`${what}, reconnecting…`]);
    } else if (info.state === 'offline' && info.closeCode !== undefined && isTerminalCloseCode(info.closeCode)) {
      let why = this.#errorMessage ?? (info.closeCode === CLOSE_UNKNOWN_JOB ? `No job with id "${this.jobId}"` : info.closeReason);
      if (info.closeCode === CLOSE_UNAUTHORIZED) why = `${why}; set HEADWAY_API_TOKEN to the API token`;
      void this.#stop(EXIT_USAGE, [], why);
    }
  }

  #finished(status: JobStatus): void {
    const view = { ...this.#currentView(), status };
    const reason = view.reason ?? this.#told.job?.failedReason;
    const summary = summaryLine(this.jobId, { ...view, reason }, this.#seconds(), this.options.color);
    const name = this.#told.job?.name;
    const ended = () => this.options.onEnd?.({ status, ...(name && { name }), ...(reason && { reason }) });
    void this.#stop(status === 'completed' ? EXIT_COMPLETED : EXIT_FAILED, [summary], undefined, ended);
  }

  #interrupted(): void {
    const line = `stopped watching job ${this.jobId}; it keeps running (headway watch ${this.jobId} follows it again)`;
    void this.#stop(EXIT_INTERRUPTED, [line]);
  }

  async #stop(code: number, lines: string[], complaint?: string, after?: () => Promise<void> | void): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#socket.close();
    await this.options.out.end(lines);
    if (complaint) this.options.complain(complaint);
    await after?.();
    this.resolve(code);
  }

  #print(lines: string[]): void {
    const { out, color } = this.options;
    const status = out.live
      ? statusLine(this.#told.view, this.#stages, { width: out.width, color, reconnecting: this.#dropped })
      : undefined;
    out.print(lines, status);
  }

  #currentView(): JobView {
    return this.#told.view ?? createJobView(this.#stages);
  }

  #header(job: JobSummary, pipeline: PipelineInfo): string {
    const name = job.name && job.name !== job.pipeline ? ` "${oneLine(job.name)}"` : '';
    const attempts = job.attempts > 1 ? `, attempt ${job.attempt} of ${job.attempts}` : '';
    return `job ${this.jobId}${name} · ${oneLine(pipeline.title)} (${oneLine(pipeline.name)}) · ${job.status}${attempts}`;
  }

  /** From the job's start to its last event, when both are known. */
  #seconds(): number | undefined {
    const start = this.#told.job?.startedAt ?? this.#currentView().stages.find((s) => s.startedAt)?.startedAt;
    const end = this.#lastTs ?? this.#told.job?.finishedAt;
    if (!start || !end) return undefined;
    const ms = Date.parse(end) - Date.parse(start);
    return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
  }
}
