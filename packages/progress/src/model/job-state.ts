// Folds a job's events, in `seq` order, into what a viewer shows: status, percentage, ETA and
// each stage's state. Used by the web app and the terminal client; no runtime dependencies.
import type { ArtifactEvent, Eta, JobStatus, Phase, StreamEntry } from './events.ts';
import type { JobSummary } from './job-summary.ts';
import type { StageSpec } from './pipeline-spec.ts';
import type { UsualBand } from './slow-stage.ts';

/** Statuses after which a job changes no more (unless retried by hand). */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

export type StageState = 'waiting' | 'active' | 'complete' | 'error' | 'skipped';

export interface StageView extends StageSpec {
  state: StageState;
  startedAt?: string;
  endedAt?: string;
  iteration?: number;
  /** When the current iteration of a looping stage began. */
  iterationStartedAt?: string;
  /** Seconds the last finished iteration took. */
  lastIterationSeconds?: number;
  stageProgress?: number;
  message?: string;
  /** While the stage runs past the top of its usual band: that band ("slower than usual"). */
  slow?: UsualBand;
}

export interface JobView {
  status: JobStatus;
  attempt: number;
  percentage: number;
  stage?: string;
  eta?: Eta;
  reason?: string;
  stages: StageView[];
  /** Highest `seq` applied; events at or below it are duplicates and ignored. */
  lastSeq: number;
  /** Cursor (stream id) of the last applied event, for `?after=`. */
  cursor?: string;
  /** Events that never arrived (a hole in `seq`), so a viewer can say so instead of hiding it. */
  missing: number;
  /** When the newest event was written, to tell a job that has gone quiet. */
  lastEventAt?: string;
  /** Every artifact published, of every attempt, in order (a retry's sit beside the first's). */
  artifacts: ArtifactEvent[];
}

export function createJobView(stages: readonly StageSpec[], status: JobStatus = 'waiting'): JobView {
  return {
    status,
    attempt: 1,
    percentage: 0,
    stages: stages.map((s) => ({ ...s, state: 'waiting' })),
    lastSeq: 0,
    missing: 0,
    artifacts: [],
  };
}

const STATE_OF_PHASE: Record<Phase, StageState> = {
  starting: 'active',
  running: 'active',
  complete: 'complete',
  error: 'error',
  skipped: 'skipped',
};

export function applyEntry(view: JobView, { id, event }: StreamEntry): JobView {
  if (event.seq <= view.lastSeq) return view;
  let next: JobView = {
    ...view,
    lastSeq: event.seq,
    cursor: id,
    missing: view.missing + Math.max(0, event.seq - view.lastSeq - 1),
    lastEventAt: event.ts,
  };
  if (event.attempt > next.attempt) {
    next = { ...next, attempt: event.attempt, percentage: 0, eta: undefined, stage: undefined };
    next.stages = next.stages.map(({ name, label, weight, loops, expectedIterations }) => ({
      name,
      label,
      weight,
      loops,
      expectedIterations,
      state: 'waiting' as const,
    }));
  }
  if (event.kind === 'status') {
    // A job that ends failed or cancelled leaves its running stage unfinished: an error there.
    const interrupted = event.status === 'failed' || event.status === 'cancelled';
    const stages = interrupted
      ? next.stages.map((stage) =>
          stage.state === 'active'
            ? { ...withoutSlow(stage), state: 'error' as const, endedAt: event.ts, message: event.reason ?? event.status }
            : stage,
        )
      : next.stages;
    return {
      ...next,
      stages,
      status: event.status,
      reason: event.reason,
      ...((event.status === 'completed' || interrupted) && { eta: undefined }),
    };
  }
  if (event.kind === 'log') return next;
  if (event.kind === 'artifact') return { ...next, artifacts: [...next.artifacts, event] };
  const stages = next.stages.map((stage) => {
    if (stage.name !== event.stage) return stage;
    const state = STATE_OF_PHASE[event.phase];
    const ended = state === 'complete' || state === 'error' || state === 'skipped';
    const secondsSince = (iso?: string) => (iso ? Math.max(0, (Date.parse(event.ts) - Date.parse(iso)) / 1000) : undefined);
    const nextIteration = event.iteration !== undefined && event.iteration !== stage.iteration;
    const iterationEnded = stage.iterationStartedAt !== undefined && (nextIteration || ended);
    return {
      ...withoutSlow(stage),
      ...(event.slow && !ended && { slow: event.slow }),
      state,
      message: event.message,
      startedAt: stage.startedAt ?? (event.phase === 'skipped' ? undefined : event.ts),
      ...(ended && { endedAt: event.ts }),
      ...(event.iteration !== undefined && { iteration: event.iteration }),
      ...(nextIteration && { iterationStartedAt: event.ts }),
      ...(iterationEnded && { lastIterationSeconds: secondsSince(stage.iterationStartedAt) }),
      ...(ended && { iterationStartedAt: undefined }),
      ...(event.stageProgress !== undefined && { stageProgress: event.stageProgress }),
    };
  });
  return {
    ...next,
    status: next.status === 'waiting' ? 'active' : next.status,
    stages,
    stage: event.stage,
    percentage: Math.max(next.percentage, event.percentage),
    eta: event.eta,
  };
}

/**
 * The view after a `reset`: the job's summary stands in for the events that are gone. Stages run
 * in order, so those before the current one have ended; the retained events that follow refine it.
 */
export function resetView(view: JobView, job: JobSummary): JobView {
  const current = view.stages.findIndex((s) => s.name === job.stage);
  const finished = job.status === 'completed';
  const stages = view.stages.map((stage, i): StageView => {
    if (finished || i < current) return stage.state === 'skipped' ? stage : { ...stage, state: 'complete' };
    if (i === current && job.phase) {
      return {
        ...stage,
        state: STATE_OF_PHASE[job.phase],
        ...(job.iteration !== undefined && { iteration: job.iteration }),
        ...(job.slow && { slow: job.slow }),
      };
    }
    return stage;
  });
  return {
    ...view,
    status: job.status,
    attempt: Math.max(view.attempt, job.attempt),
    percentage: Math.max(view.attempt < job.attempt ? 0 : view.percentage, job.percentage),
    stage: job.stage,
    eta: job.status === 'completed' ? undefined : job.eta,
    reason: job.failedReason,
    stages,
  };
}

/** A stage's view without its "slower than usual": every event of a slow stage says so again. */
function withoutSlow(stage: StageView): StageView {
  const { slow: _, ...rest } = stage;
  return rest;
}
