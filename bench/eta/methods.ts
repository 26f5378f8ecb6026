// The estimators the replay compares: Headway's real tracker and estimator, and four baselines.
import { EtaEstimator, type JobRecord, type NewJobEvent, ProgressTracker, type StageSpec } from '@headway/progress';
import type { HistoryEvent, JobHistory } from './history-file.ts';

export interface Reading {
  percentage: number;
  /** Remaining seconds, with an 80 % band when the method gives one; absent = no estimate. */
  eta?: { seconds: number; low?: number; high?: number };
}

export interface Method {
  name: string;
  /** Starts a job; the returned function reads the method's state after each event. */
  start(job: JobHistory): (event: HistoryEvent) => Reading;
  /** The job has ended: what the method keeps for the next ones. */
  finish(job: JobHistory): void;
}

const emitInto = (tracker: ProgressTracker, e: HistoryEvent) =>
  tracker.emit(e.stage, e.phase, '', {
    ...(e.stageProgress !== undefined && { stageProgress: e.stageProgress }),
    ...(e.iteration !== undefined && { iteration: e.iteration }),
  });

/** Headway: the real ProgressTracker and EtaEstimator, history kept across jobs. */
export function headway(stages: readonly StageSpec[]): Method {
  const history: JobRecord[] = [];
  let tracker: ProgressTracker | undefined;
  return {
    name: 'headway',
    start(job) {
      let clock = 0;
      let last: NewJobEvent | undefined;
      tracker = new ProgressTracker({
        jobId: 'replay',
        attempt: 1,
        stages,
        estimator: new EtaEstimator(stages, history, job.size),
        emit: (e) => (last = e),
        now: () => clock * 1000,
      });
      const current = tracker;
      return (event) => {
        clock = event.t;
        emitInto(current, event);
        const eta = last?.kind === 'progress' ? last.eta : undefined;
        return {
          percentage: current.percentage,
          ...(eta && eta.basis !== 'none' && { eta: { seconds: eta.seconds, low: eta.low, high: eta.high } }),
        };
      };
    },
    finish(job) {
      if (tracker) history.unshift(tracker.record(job.pipeline, job.size));
    },
  };
}

/** The declared-weights percentage (Headway without history), shared by `linear` and `ema`. */
function declaredPercentage(stages: readonly StageSpec[]) {
  let clock = 0;
  const tracker = new ProgressTracker({ jobId: 'replay', attempt: 1, stages, emit: () => {}, now: () => clock * 1000 });
  return (event: HistoryEvent) => {
    clock = event.t;
    emitInto(tracker, event);
    return tracker.percentage;
  };
}

/** Linear extrapolation: elapsed ÷ fraction done. */
export function linear(stages: readonly StageSpec[]): Method {
  return {
    name: 'linear',
    start() {
      const percentageAt = declaredPercentage(stages);
      return (event) => {
        const percentage = percentageAt(event);
        const f = percentage / 100;
        return { percentage, ...(f > 0 && event.t > 0 && { eta: { seconds: (event.t * (1 - f)) / f } }) };
      };
    },
    finish() {},
  };
}

/** tqdm: remaining ÷ an exponential moving average of the rate, smoothing 0.3. */
export function ema(stages: readonly StageSpec[]): Method {
  return {
    name: 'ema',
    start() {
      const percentageAt = declaredPercentage(stages);
      let rate: number | undefined;
      let lastT = 0;
      let lastP = 0;
      return (event) => {
        const percentage = percentageAt(event);
        const dt = event.t - lastT;
        if (dt > 0) {
          const instant = (percentage - lastP) / dt;
          rate = rate === undefined ? instant : 0.3 * instant + 0.7 * rate;
          lastT = event.t;
          lastP = percentage;
        }
        return { percentage, ...(rate && rate > 0 && { eta: { seconds: (100 - percentage) / rate } }) };
      };
    },
    finish() {},
  };
}

/** Jenkins: estimate = mean of the last 3 runs' durations; percentage = elapsed ÷ estimate, capped at 99. */
export function jenkins(): Method {
  const durations: number[] = [];
  return {
    name: 'jenkins',
    start() {
      const recent = durations.slice(-3);
      const estimate = recent.length > 0 ? recent.reduce((a, b) => a + b, 0) / recent.length : undefined;
      return (event) =>
        estimate === undefined
          ? { percentage: 0 }
          : {
              percentage: Math.min(99, (100 * event.t) / estimate),
              eta: { seconds: Math.max(0, estimate - event.t) },
            };
    },
    finish(job) {
      durations.push(job.events.at(-1)!.t);
    },
  };
}

/**
 * The seed's ProgressTracker and ETACalculator, as written: fixed weights, 50 % for a running
 * stage, ETA = mean of the last ten durations per stage (kept across jobs), 60 s with none.
 */
export function seed(stages: readonly StageSpec[]): Method {
  const stageHistory = new Map<string, number[]>();
  const defaults: Record<string, number> = { judge: 180, deep_review: 300, gap_analysis: 240, visualization: 60 };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const weights = new Map(stages.map((s) => [s.name, s.weight]));
  const totalWeight = stages.reduce((a, s) => a + s.weight, 0);
  return {
    name: 'seed',
    start() {
      const completed: string[] = [];
      const startTimes = new Map<string, number>();
      let current: string | undefined;
      return ({ t, stage, phase }) => {
        if (phase === 'starting') {
          startTimes.set(stage, t);
          current = stage;
        } else if (phase === 'complete' && startTimes.has(stage)) {
          const list = stageHistory.get(stage) ?? [];
          list.push(t - startTimes.get(stage)!);
          if (list.length > 10) list.shift();
          stageHistory.set(stage, list);
        }
        let eta: number | undefined;
        if (current && startTimes.has(current)) {
          const own = stageHistory.get(current);
          let remaining = own ? Math.max(0, mean(own) - (t - startTimes.get(current)!)) : 60;
          for (const s of weights.keys()) {
            if (completed.includes(s) || s === current) continue;
            const list = stageHistory.get(s);
            remaining += list ? mean(list) : (defaults[s] ?? 60);
          }
          eta = remaining;
        }
        // calculate_percentage runs after the ETA, as in the seed's emit().
        let done = completed.reduce((a, s) => a + (weights.get(s) ?? 0), 0);
        if (phase === 'complete') {
          if (!completed.includes(stage)) completed.push(stage);
          done += weights.get(stage) ?? 0;
        } else if (phase === 'running') {
          done += (weights.get(stage) ?? 0) * 0.5;
        }
        return { percentage: (done / totalWeight) * 100, ...(eta !== undefined && { eta: { seconds: eta } }) };
      };
    },
    finish() {},
  };
}

/**
 * Not an estimator one could build: it knows each generated job's expected stage times (a perfect
 * history) but not the job's own noise. Its error is about the least the data allows.
 */
export function oracle(): Method {
  return {
    name: 'oracle',
    start(job) {
      const expected = job.expected;
      const order = [...new Set(job.events.map((e) => e.stage))];
      const done = new Set<string>();
      let current: string | undefined;
      let iteration = 1;
      let progress = 0;
      let stageStart = 0;
      const loopStage = expected?.loop?.stage ?? 'gap_analysis';
      /** Expected seconds of a loop from `iteration` on (that one whole), given the count reached it. */
      const loopFrom = (stage: string, from: number, doneOfFirst: number) => {
        const perFirst = expected!.stages[stage]!;
        const loop = expected!.loop;
        if (!loop) return perFirst * (Math.max(expected!.iterations, from) - (from - 1 + doneOfFirst));
        const reached = loop.counts.reduce((a, p, i) => (i + 1 >= from ? a + p : a), 0);
        let seconds = perFirst * loop.decay ** (from - 1) * (1 - doneOfFirst);
        for (let k = from + 1; k <= loop.counts.length; k++) {
          const pAtLeast = reached > 0 ? loop.counts.slice(k - 1).reduce((a, b) => a + b, 0) / reached : 0;
          seconds += perFirst * loop.decay ** (k - 1) * pAtLeast;
        }
        return seconds;
      };
      return (event) => {
        if (!expected) return { percentage: 0 };
        if (event.phase === 'starting') {
          current = event.stage;
          stageStart = event.t;
          iteration = 1;
          progress = 0;
        }
        if (event.phase === 'complete') done.add(event.stage);
        if (event.iteration !== undefined) iteration = event.iteration;
        progress = event.stageProgress ?? (event.iteration !== undefined ? 0 : progress);
        let remaining = 0;
        for (const stage of order) {
          if (done.has(stage)) continue;
          const loops = stage === loopStage;
          // Stages still to come: the median of their sum where the generator gave it.
          if (stage !== current && expected.after && current) {
            remaining += expected.after[current]!;
            break;
          }
          if (stage !== current) {
            remaining += loops ? loopFrom(stage, 1, 0) : expected.stages[stage]!;
            continue;
          }
          if (loops) {
            remaining += loopFrom(stage, iteration, progress);
          } else if (event.stageProgress !== undefined) {
            remaining += expected.stages[stage]! * (1 - progress);
          } else {
            remaining += Math.max(0, expected.stages[stage]! - (event.t - stageStart));
          }
        }
        return { percentage: 0, eta: { seconds: remaining } };
      };
    },
    finish() {},
  };
}
