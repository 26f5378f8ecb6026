// Turns what a pipeline reports (stage phases, stage progress, iterations, logs) into events
// with an overall percentage that never goes backwards within an attempt, and an ETA. With
// history, stage weights are each stage's learned share of the job's time, so the percentage
// moves evenly with time; a stage that reports no progress of its own advances by its expected time.
import { calibrationOf, errorDecilesOf } from '../eta/band-calibration.ts';
import { EtaEstimator } from '../eta/eta-estimator.ts';
import type { JobRecord } from '../eta/job-history.ts';
import { loopFraction, weightedPercentage } from '../eta/percentage.ts';
import type { ArtifactEvent, JobStatus, LogLevel, NewJobEvent, Phase, ProgressEvent } from '../model/events.ts';
import type { JobSnapshot } from '../model/job-summary.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import type { UsualBand } from '../model/slow-stage.ts';

export interface TrackerOptions {
  jobId: string;
  attempt: number;
  stages: readonly StageSpec[];
  emit: (event: NewJobEvent) => void;
  /** Learned from the pipeline's history; without one, declared weights and the job's own pace. */
  estimator?: EtaEstimator;
  /** Clock in milliseconds; injectable so replays can run on a virtual clock. */
  now?: () => number;
  /** Each stage's usual seconds (eta/stage-band.ts): past its top, the stage is "slower than usual". */
  usual?: ReadonlyMap<string, UsualBand>;
}

export interface EmitExtras {
  stageProgress?: number;
  iteration?: number;
  metadata?: Record<string, unknown>;
}

/** What an artifact event says of the stored bytes. */
export type ArtifactFields = Pick<ArtifactEvent, 'name' | 'size' | 'contentType' | 'sha256' | 'title'>;

interface StageRun {
  fraction: number;
  phase?: Phase;
  iteration?: number;
  /** A looping stage: when each of its iterations started (ms). */
  iterationStarts: number[];
  /** Iterations a looping stage is expected to run, and whether the pipeline said so itself. */
  expected: number;
  expectedIsSure: boolean;
  startedAt?: number;
  endedAt?: number;
}

/** With history, the share of the percentage read from elapsed ÷ (elapsed + ETA) rather than stage weights. */
const TIME_SHARE = 0.75;
/** The most the percentage rises at one event inside a stage (a stage's start or end may move it more). */
const MAX_RISE = 8;
/** A stage without progress reports never reads more than this before it completes. */
const TIMED_FRACTION_CAP = 0.95;
/** Only `complete` fills a stage: "the last item is done" still leaves the stage to finish, so the bar never reads 100 % early. */
const RUNNING_FRACTION_CAP = 0.99;

export class ProgressTracker {
  readonly #opts: TrackerOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #runs = new Map<string, StageRun>();
  readonly #estimator: EtaEstimator;
  /** The stages with the weights the percentage uses: learned when there is history. */
  readonly #weighted: StageSpec[];
  /** Each history-based estimate, to tell history afterwards how well its bands held. */
  readonly #estimates: { at: number; seconds: number; spread: number }[] = [];
  /** Stages that report their own stageProgress: these are never advanced by time. */
  readonly #reportsProgress = new Set<string>();
  #percentage = 0;
  #last?: Omit<ProgressEvent, 'seq'>;
  /** The stage last started or running and not yet ended: where an artifact published now belongs. */
  #open?: string;
  /** Artifacts this attempt has published (the snapshot's count). */
  #artifacts = 0;
  /** Stages whose events have said "slower than usual" (tick() says it once for a quiet stage). */
  readonly #saidSlow = new Set<string>();

  constructor(opts: TrackerOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#estimator = opts.estimator ?? new EtaEstimator(opts.stages, []);
    this.#weighted = opts.stages.map((stage) => {
      const learned = this.#estimator.expectedSeconds(stage.name);
      return learned !== undefined ? { ...stage, weight: Math.max(learned, 1e-6) } : stage;
    });
    for (const stage of opts.stages) {
      const expected = this.#estimator.expectedIterations(stage.name) ?? stage.expectedIterations ?? 1;
      this.#runs.set(stage.name, { fraction: 0, expected, expectedIsSure: false, iterationStarts: [] });
    }
  }

  get percentage(): number {
    return this.#percentage;
  }

  /** Seconds since this attempt started, on the tracker's clock. */
  get elapsedSeconds(): number {
    return (this.#now() - this.#startedAt) / 1000;
  }

  /** Looping stages: how many iterations this run will make, when the pipeline knows (ONCE = 1). */
  expectIterations(stage: string, count: number): void {
    const run = this.#run(stage);
    run.expected = Math.max(1, count);
    run.expectedIsSure = true;
  }

  /** Looping stages: a guess at the iteration count, used only when history has none. */
  guessIterations(stage: string, count: number): void {
    const run = this.#run(stage);
    if (!run.expectedIsSure && this.#estimator.expectedIterations(stage) === undefined) run.expected = Math.max(1, count);
  }

  /** The seed's `emit(stage, phase, message, **kwargs)`. */
  emit(stage: string, phase: Phase, message: string, extras: EmitExtras = {}): void {
    const run = this.#run(stage);
    const spec = this.#opts.stages.find((s) => s.name === stage)!;
    const now = this.#now();
    if (phase !== 'skipped') run.startedAt ??= now;
    if (phase === 'complete' || phase === 'skipped' || phase === 'error') run.endedAt ??= now;
    run.phase = phase;
    if (phase === 'starting' || phase === 'running') this.#open = stage;
    else if (stage === this.#open) this.#open = undefined;
    if (extras.stageProgress !== undefined) this.#reportsProgress.add(stage);
    if (extras.iteration !== undefined) {
      if (spec.loops && extras.iteration > (run.iteration ?? 0)) run.iterationStarts.push(now);
      run.iteration = extras.iteration;
    }
    const inner = clamp01(extras.stageProgress ?? 0);
    if (phase === 'complete' || phase === 'skipped') run.fraction = 1;
    else if (phase === 'running' && spec.loops && run.iteration !== undefined) {
      run.fraction = Math.max(run.fraction, loopFraction(run.iteration - 1 + inner, run.expected));
    } else if (phase === 'running' && extras.stageProgress !== undefined) {
      run.fraction = Math.max(run.fraction, Math.min(inner, RUNNING_FRACTION_CAP));
    }
    this.#advanceByTime(now);
    const computed = weightedPercentage(this.#weighted, (name) => this.#runs.get(name)?.fraction ?? 0);
    const previous = this.#percentage;
    this.#percentage = Math.max(previous, round2(computed));
    const eta = this.#percentage >= 100 ? undefined : this.#eta(stage, now, extras.stageProgress);
    if (eta?.basis === 'history' && computed < 100) {
      // With history the bar follows time: mostly elapsed ÷ (elapsed + ETA), so a stage running
      // long does not hold it back (nor a short one rush it); partly the stage weights' reading,
      // which keeps it moving while a stage running long pushes the ETA up.
      const elapsed = (now - this.#startedAt) / 1000;
      const byTime = elapsed + eta.seconds > 0 ? (100 * elapsed) / (elapsed + eta.seconds) : 0;
      const target = Math.min(RUNNING_FRACTION_CAP * 100, (1 - TIME_SHARE) * computed + TIME_SHARE * byTime);
      // Between stage boundaries it rises at most MAX_RISE points per event, catching up after.
      const limit = phase === 'running' ? previous + MAX_RISE : Number.POSITIVE_INFINITY;
      this.#percentage = Math.max(previous, round2(Math.min(target, limit)));
    }
    const event = {
      kind: 'progress' as const,
      ...this.#base(now),
      stage,
      phase,
      message,
      percentage: this.#percentage,
      ...(extras.stageProgress !== undefined && { stageProgress: inner }),
      ...(run.iteration !== undefined && spec.loops && { iteration: run.iteration }),
      ...(eta && { eta }),
      ...(extras.metadata && { metadata: extras.metadata }),
      ...this.#slowness(stage, phase, now),
    };
    this.#last = event;
    this.#opts.emit(event);
  }

  log(level: LogLevel, message: string, stage?: string): void {
    this.#opts.emit({ kind: 'log', ...this.#base(this.#now()), level, message, ...(stage && { stage }) });
  }

  /** The stage that is running now, if any: the one an artifact published now belongs to. */
  get openStage(): string | undefined {
    return this.#open;
  }

  /** An artifact stored whole (artifact-publisher.ts); `stage` defaults to the open one. */
  artifact(stored: ArtifactFields, stage = this.#open): void {
    this.#artifacts++;
    const { name, size, contentType, sha256, title } = stored;
    this.#opts.emit({
      kind: 'artifact',
      ...this.#base(this.#now()),
      ...(stage && { stage }),
      name,
      size,
      contentType,
      sha256,
      ...(title && { title }),
    });
  }

  status(status: JobStatus, reason?: string): void {
    this.#opts.emit({ kind: 'status', ...this.#base(this.#now()), status, ...(reason && { reason }) });
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
      ...(this.#artifacts > 0 && { artifacts: this.#artifacts }),
      ...(last?.slow && { slow: last.slow }),
    };
  }

  /**
   * Called every second or so by the runner: a stage that has just run past its usual band says
   * so at once, with an event, even if its pipeline reports nothing for minutes.
   */
  tick(): void {
    const stage = this.#open;
    if (!stage || this.#saidSlow.has(stage) || !this.#slowness(stage, 'running', this.#now()).slow) return;
    const last = this.#last?.stage === stage ? this.#last : undefined;
    this.emit(stage, 'running', last?.message ?? 'Running', last?.stageProgress !== undefined ? { stageProgress: last.stageProgress } : {});
  }

  /** `{ slow: band }` while a running stage is past the top of its usual band, else nothing. */
  #slowness(stage: string, phase: Phase, now: number): { slow?: UsualBand } {
    const band = this.#opts.usual?.get(stage);
    const run = this.#runs.get(stage)!;
    if (!band || (phase !== 'starting' && phase !== 'running') || secondsOf(run, now) <= band.high) return {};
    this.#saidSlow.add(stage);
    return { slow: band };
  }

  /** What this finished job adds to its pipeline's history. */
  record(pipeline: string, size?: number): JobRecord {
    const now = this.#now();
    const calibration = calibrationOf(this.#estimates, (now - this.#startedAt) / 1000);
    const errorDeciles = errorDecilesOf(this.#estimates, (now - this.#startedAt) / 1000);
    return {
      pipeline,
      ...(size !== undefined && { size }),
      ...(calibration !== undefined && { calibration }),
      ...(errorDeciles && { errorDeciles }),
      seconds: (now - this.#startedAt) / 1000,
      stages: this.#opts.stages.map(({ name, loops }) => {
        const run = this.#runs.get(name)!;
        return {
          name,
          seconds: secondsOf(run, now),
          ...(loops && run.iteration !== undefined && { iterations: run.iteration }),
          ...(loops && run.iterationStarts.length > 0 && { iterationSeconds: iterationSeconds(run, now, true) }),
        };
      }),
    };
  }

  /** Active stages that report no progress of their own move by the time history expects of them. */
  #advanceByTime(now: number): void {
    for (const [name, run] of this.#runs) {
      if (run.startedAt === undefined || run.endedAt !== undefined || run.phase === 'skipped') continue;
      const expected = this.#estimator.expectedSeconds(name);
      if (!expected || run.iteration !== undefined) continue;
      const timed = Math.min(TIMED_FRACTION_CAP, (now - run.startedAt) / 1000 / expected);
      if (timed > run.fraction && !this.#reportsProgress.has(name)) run.fraction = timed;
    }
  }

  #eta(stage: string, now: number, stageProgress: number | undefined) {
    const run = this.#runs.get(stage)!;
    const finished = new Map<string, number>();
    for (const [name, r] of this.#runs) {
      if (r.phase === 'complete' || r.phase === 'skipped') {
        finished.set(name, secondsOf(r, now));
      }
    }
    const elapsedS = (now - this.#startedAt) / 1000;
    const { eta, spread } = this.#estimator.estimateDetailed({
      elapsedS,
      stage,
      stageElapsedS: secondsOf(run, now),
      ...(stageProgress !== undefined && { stageProgress: clamp01(stageProgress) }),
      ...(run.iteration !== undefined && { iteration: run.iteration }),
      ...(run.iterationStarts.length > 1 && { iterationSeconds: iterationSeconds(run, now, false) }),
      finished,
      fraction: this.#percentage / 100,
    });
    if (eta.basis !== 'none') this.#estimates.push({ at: elapsedS, seconds: eta.seconds, spread });
    return eta;
  }

  #run(stage: string): StageRun {
    const run = this.#runs.get(stage);
    if (!run) {
      const known = this.#opts.stages.map((s) => s.name).join(', ');
      throw new Error(`Unknown stage "${stage}"; this pipeline's stages are: ${known}`);
    }
    return run;
  }

  #base(now: number) {
    return { jobId: this.#opts.jobId, attempt: this.#opts.attempt, ts: new Date(now).toISOString() };
  }
}

/** Seconds of each finished iteration of a looping stage (with `all`, the last one too, ended at the stage's end). */
function iterationSeconds(run: StageRun, now: number, all: boolean): number[] {
  const ends = [...run.iterationStarts.slice(1), ...(all ? [run.endedAt ?? now] : [])];
  return ends.map((end, i) => (end - run.iterationStarts[i]!) / 1000);
}

/** A stage's time so far, or its whole time once it has ended; 0 if it never started. */
const secondsOf = (run: StageRun, now: number) => (run.startedAt === undefined ? 0 : ((run.endedAt ?? now) - run.startedAt) / 1000);
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
