// Turns what a pipeline reports (stage phases, stage progress, iterations, logs) into events
// with an overall percentage that never goes backwards within an attempt, and an ETA.
import { rateEta } from './eta.ts';
import type { JobStatus, LogLevel, NewJobEvent, Phase, ProgressEvent } from './events.ts';
import { loopFraction, weightedPercentage } from './percentage.ts';
import type { StageSpec } from './pipeline-spec.ts';
import type { JobSnapshot } from './job-summary.ts';

export interface TrackerOptions {
  jobId: string;
  attempt: number;
  stages: readonly StageSpec[];
  emit: (event: NewJobEvent) => void;
  /** Clock in milliseconds; injectable so replays can run on a virtual clock. */
  now?: () => number;
}

export interface EmitExtras {
  stageProgress?: number;
  iteration?: number;
  metadata?: Record<string, unknown>;
}

interface StageRun {
  fraction: number;
  phase?: Phase;
  iteration?: number;
  expected: number;
}

export class ProgressTracker {
  readonly #opts: TrackerOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #runs = new Map<string, StageRun>();
  #percentage = 0;
  #last?: Omit<ProgressEvent, 'seq'>;

  constructor(opts: TrackerOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#startedAt = this.#now();
    for (const stage of opts.stages) {
      this.#runs.set(stage.name, { fraction: 0, expected: stage.expectedIterations ?? 1 });
    }
  }

  get percentage(): number {
    return this.#percentage;
  }

  /** Looping stages: how many iterations this run expects (e.g. 1 in ONCE mode). */
  expectIterations(stage: string, count: number): void {
    this.#run(stage).expected = Math.max(1, count);
  }

  /** The seed's `emit(stage, phase, message, **kwargs)`. */
  emit(stage: string, phase: Phase, message: string, extras: EmitExtras = {}): void {
    const run = this.#run(stage);
    const spec = this.#opts.stages.find((s) => s.name === stage);
    run.phase = phase;
    if (extras.iteration !== undefined) run.iteration = extras.iteration;
    const inner = clamp01(extras.stageProgress ?? 0);
    if (phase === 'complete' || phase === 'skipped') run.fraction = 1;
    else if (phase === 'running' && spec?.loops && run.iteration !== undefined) {
      run.fraction = Math.max(run.fraction, loopFraction(run.iteration - 1 + inner, run.expected));
    } else if (phase === 'running' && extras.stageProgress !== undefined) {
      run.fraction = Math.max(run.fraction, inner);
    }
    const computed = weightedPercentage(this.#opts.stages, (name) => this.#runs.get(name)?.fraction ?? 0);
    this.#percentage = Math.max(this.#percentage, round2(computed));
    const elapsedS = (this.#now() - this.#startedAt) / 1000;
    const eta = this.#percentage >= 100 ? undefined : rateEta(elapsedS, this.#percentage / 100);
    const event = {
      kind: 'progress' as const,
      ...this.#base(),
      stage,
      phase,
      message,
      percentage: this.#percentage,
      ...(extras.stageProgress !== undefined && { stageProgress: inner }),
      ...(run.iteration !== undefined && spec?.loops && { iteration: run.iteration }),
      ...(eta && { eta }),
      ...(extras.metadata && { metadata: extras.metadata }),
    };
    this.#last = event;
    this.#opts.emit(event);
  }

  log(level: LogLevel, message: string, stage?: string): void {
    this.#opts.emit({ kind: 'log', ...this.#base(), level, message, ...(stage && { stage }) });
  }

  status(status: JobStatus, reason?: string): void {
    this.#opts.emit({ kind: 'status', ...this.#base(), status, ...(reason && { reason }) });
  }

  /** Marks every stage that never started as skipped, so a finished job reads 100 %. */
  skipUntouched(message = 'Not needed for this input'): void {
    for (const stage of this.#opts.stages) {
      if (this.#runs.get(stage.name)?.phase === undefined) this.emit(stage.name, 'skipped', message);
    }
  }

  /** The latest state, small enough for BullMQ's `job.updateProgress`. */
  snapshot(): JobSnapshot {
    const last = this.#last;
    return {
      percentage: this.#percentage,
      ...(last && { stage: last.stage, phase: last.phase, message: last.message }),
      ...(last?.iteration !== undefined && { iteration: last.iteration }),
      ...(last?.eta && { eta: last.eta }),
    };
  }

  #run(stage: string): StageRun {
    const run = this.#runs.get(stage);
    if (!run) {
      const known = this.#opts.stages.map((s) => s.name).join(', ');
      throw new Error(`Unknown stage "${stage}"; this pipeline's stages are: ${known}`);
    }
    return run;
  }

  #base() {
    return { jobId: this.#opts.jobId, attempt: this.#opts.attempt, ts: new Date(this.#now()).toISOString() };
  }
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
