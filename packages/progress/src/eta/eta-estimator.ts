// Learns each stage's duration from the pipeline's history (recency-weighted quantiles, scaled to
// the job's size) and estimates a running job's remaining time with an 80 % band, blending that
// history with the job's own pace as it goes. Without history it uses the job's pace alone.
import type { Eta } from '../model/events.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import type { JobRecord } from './job-history.ts';
import { medianSlope, type Weighted, weightedQuantile } from './weighted-quantile.ts';

/** z of the 10th/90th percentile: an 80 % band. */
const Z80 = 1.2816;
const HALF_LIFE_JOBS = 6;
/** A shift of regime: this many newest samples, each this many spreads off the centre, one side. */
const SHIFT_RUN = 3;
const SHIFT_Z = 2;
/** Width, in log of the size ratio, of how alike two jobs' sizes must be to count fully (about ±25 %). */
const SIZE_KERNEL = 0.25;
/** The newest jobs the estimator reads: enough for quantiles, with older ones weighing little anyway. */
export const HISTORY_WINDOW = 60;
/** Below this much of the job done, its own pace says nothing yet. */
const MIN_RATE_FRACTION = 0.03;

interface StageModel {
  /** Predicted seconds of the whole stage for this job. */
  seconds: number;
  /** Spread of the stage's duration in log space (sd). */
  logSd: number;
  /** Looping stages: seconds per iteration and the iteration counts seen. */
  perIteration?: number;
  iterations?: Weighted[];
}

export interface EstimateInput {
  elapsedS: number;
  stage: string;
  stageElapsedS: number;
  stageProgress?: number;
  iteration?: number;
  /** Seconds each finished (complete or skipped) stage took. */
  finished: ReadonlyMap<string, number>;
  /** Overall fraction done by the tracker's percentage, for the pace-only estimate. */
  fraction: number;
}

/** An estimate with the model's own spread (log sd) before calibration, to measure it later. */
export interface DetailedEstimate {
  eta: Eta;
  spread: number;
}

export class EtaEstimator {
  readonly #stages: readonly StageSpec[];
  readonly #models = new Map<string, StageModel>();
  /** How much wider than the model's spread history says the band must be. */
  readonly #calibration: number = 1;

  constructor(stages: readonly StageSpec[], history: readonly JobRecord[], size?: number) {
    this.#stages = stages;
    const records = history.slice(0, HISTORY_WINDOW);
    if (records.length === 0) return;
    const recency = (age: number) => 0.5 ** (age / HALF_LIFE_JOBS);
    // Jobs of a similar size are better evidence (a loop's count, say, may depend on the input).
    const similarity = (recordSize?: number) =>
      size && recordSize ? Math.exp(-(Math.log(recordSize / size) ** 2) / (2 * SIZE_KERNEL ** 2)) : 1;
    const calibrations = records.flatMap((r, age) =>
      r.calibration !== undefined && Number.isFinite(r.calibration) ? [{ value: r.calibration, weight: recency(age) }] : [],
    );
    if (calibrations.length >= 3) this.#calibration = clamp(weightedMean(calibrations), 0.5, 4);
    for (const stage of stages) {
      const seen = records.flatMap((r, age) => {
        const s = r.stages.find((x) => x.name === stage.name);
        return s ? [{ record: r, stage: s, weight: recency(age) * similarity(r.size) + 1e-6 }] : [];
      });
      if (seen.length === 0) continue;
      const exponent = scalingExponent(seen.map((x) => ({ size: x.record.size, seconds: x.stage.seconds })));
      const scale = (recordSize?: number) => (size && recordSize ? (size / recordSize) ** exponent : 1);
      const durations = discountBeforeShift(seen.map((x) => ({ value: x.stage.seconds * scale(x.record.size), weight: x.weight })));
      const model: StageModel = { seconds: weightedQuantile(durations, 0.5), logSd: logSpread(durations) };
      if (stage.loops) {
        const perIteration = seen
          .filter((x) => (x.stage.iterations ?? 0) > 0)
          .map((x) => ({ value: (x.stage.seconds * scale(x.record.size)) / x.stage.iterations!, weight: x.weight }));
        if (perIteration.length > 0) {
          model.perIteration = weightedQuantile(perIteration, 0.5);
          model.iterations = seen.map((x) => ({ value: x.stage.iterations ?? 1, weight: x.weight }));
          model.logSd = logSpread(perIteration);
          model.seconds = model.perIteration * weightedMean(model.iterations);
        }
      }
      this.#models.set(stage.name, model);
    }
  }

  get hasHistory(): boolean {
    return this.#models.size > 0;
  }

  /** Learned seconds of a stage for this job: the percentage's weights. */
  expectedSeconds(stage: string): number | undefined {
    return this.#models.get(stage)?.seconds;
  }

  /** Mean iteration count of a looping stage in history. */
  expectedIterations(stage: string): number | undefined {
    const iterations = this.#models.get(stage)?.iterations;
    return iterations ? weightedMean(iterations) : undefined;
  }

  estimate(input: EstimateInput): Eta {
    return this.estimateDetailed(input).eta;
  }

  estimateDetailed(input: EstimateInput): DetailedEstimate {
    if (!this.hasHistory) return this.#fromPace(input);
    const current = this.#models.get(input.stage);
    const spec = this.#stages.find((s) => s.name === input.stage);
    // This job's speed against history on the stages it has finished, trusted as far as they go.
    let predictedDone = 0;
    let actualDone = 0;
    for (const [name, seconds] of input.finished) {
      const model = this.#models.get(name);
      if (model && model.seconds > 0) {
        predictedDone += model.seconds;
        actualDone += seconds;
      }
    }
    const predictedTotal = [...this.#models.values()].reduce((sum, m) => sum + m.seconds, 0);
    const trust = predictedTotal > 0 ? Math.min(0.9, predictedDone / predictedTotal) : 0;
    const ratio = predictedDone > 0 && actualDone > 0 ? clamp(actualDone / predictedDone, 0.25, 4) : 1;
    const speed = Math.exp(trust * Math.log(ratio));

    let remaining = 0;
    let variance = 0;
    let paceWeight = 0;
    if (current && !input.finished.has(input.stage)) {
      const part = this.#currentStage(current, spec?.loops === true, input, speed);
      remaining += part.seconds;
      variance += (part.seconds * current.logSd) ** 2 + part.countVariance;
      paceWeight = part.paceWeight;
    }
    for (const stage of this.#stages) {
      if (stage.name === input.stage || input.finished.has(stage.name)) continue;
      const model = this.#models.get(stage.name);
      if (!model) continue;
      const seconds = model.seconds * speed;
      remaining += seconds;
      variance += (seconds * model.logSd) ** 2;
      // A loop that has not started yet may run more or fewer times than it usually does.
      if (model.iterations && model.perIteration !== undefined) {
        variance += (model.perIteration * speed) ** 2 * countVariance(model.iterations, 1);
      }
    }
    const spread = remaining > 0 ? Math.sqrt(variance) / remaining : 0;
    const basis = paceWeight > 0.5 && remaining < predictedTotal * 0.1 ? 'rate' : 'history';
    return { eta: band(remaining, spread * this.#calibration, basis), spread };
  }

  /** Remaining seconds of the running stage: history for what is left, pulled towards its own pace. */
  #currentStage(model: StageModel, loops: boolean, input: EstimateInput, speed: number) {
    if (loops && model.perIteration !== undefined && model.iterations) {
      const iteration = input.iteration ?? 1;
      const done = iteration - 1 + (input.stageProgress ?? 0);
      const left = Math.max(0.1, expectedAtLeast(model.iterations, iteration) - done);
      const history = model.perIteration * speed * left;
      const counts = (model.perIteration * speed) ** 2 * countVariance(model.iterations, iteration);
      if (done < 0.5) return { seconds: history, paceWeight: 0, countVariance: counts };
      const pace = (input.stageElapsedS / done) * left;
      const w = Math.min(0.8, done / Math.max(1, weightedMean(model.iterations)));
      return { seconds: (1 - w) * history + w * pace, paceWeight: w, countVariance: counts };
    }
    const predicted = model.seconds * speed;
    const p = input.stageProgress;
    if (p === undefined || p <= 0.02) {
      return { seconds: Math.max(predicted - input.stageElapsedS, predicted * 0.05), paceWeight: 0, countVariance: 0 };
    }
    const history = predicted * (1 - p);
    const pace = (input.stageElapsedS * (1 - p)) / p;
    return { seconds: (1 - p) * history + p * pace, paceWeight: p, countVariance: 0 };
  }

  /**
   * No history: the running stage's own pace for its remainder, and the pace of the finished
   * stages per unit of declared weight for the stages still to come. With too little to go on
   * for either, the job's overall pace (elapsed ÷ fraction done).
   */
  #fromPace(input: EstimateInput): DetailedEstimate {
    const { elapsedS, fraction, stage, stageElapsedS, stageProgress: p, iteration, finished } = input;
    if (fraction < MIN_RATE_FRACTION || elapsedS <= 0) return { eta: { seconds: 0, low: 0, high: 0, basis: 'none' }, spread: 0 };
    const spread = 0.1 + 0.5 * (1 - fraction);
    const overall = (elapsedS * (1 - fraction)) / fraction;
    let doneWeight = 0;
    let doneSeconds = 0;
    for (const [name, seconds] of finished) {
      doneWeight += this.#stages.find((s) => s.name === name)?.weight ?? 0;
      doneSeconds += seconds;
    }
    const current = this.#stages.find((s) => s.name === stage);
    if (!current || iteration !== undefined || finished.has(stage) || doneWeight <= 0 || doneSeconds <= 0) {
      return { eta: band(overall, spread, 'rate'), spread };
    }
    const own = p !== undefined && p >= 0.1 && stageElapsedS > 0 ? (stageElapsedS * (1 - p)) / p : undefined;
    // The running stage's finished part counts towards the pace too.
    const perWeight =
      (doneSeconds + (own !== undefined ? stageElapsedS : 0)) / (doneWeight + (own !== undefined ? current.weight * p! : 0));
    const currentLeft = own ?? Math.max(0, current.weight * perWeight - stageElapsedS);
    const futureWeight = this.#stages.filter((s) => s.name !== stage && !finished.has(s.name)).reduce((sum, s) => sum + s.weight, 0);
    const seconds = currentLeft + futureWeight * perWeight;
    return { eta: band(seconds, spread, 'rate'), spread };
  }
}

/** Per stage, how its time grows with the job's size (0 = not at all, 1 = in proportion). */
function scalingExponent(samples: { size?: number; seconds: number }[]): number {
  const points = samples
    .filter((s) => s.size && s.size > 0 && s.seconds > 0)
    .map((s) => ({ x: Math.log(s.size!), y: Math.log(s.seconds) }));
  const xs = points.map((p) => p.x);
  if (points.length < 4 || Math.max(...xs) - Math.min(...xs) < Math.log(1.3)) return 1;
  return clamp(medianSlope(points) ?? 1, 0, 1.5);
}

/**
 * When the newest few samples all sit well off the same side of the rest (the pipeline got
 * slower or faster), the older samples describe a past regime: they keep only a trace of weight.
 * Samples are newest first.
 */
function discountBeforeShift(samples: Weighted[]): Weighted[] {
  if (samples.length < SHIFT_RUN * 2) return samples;
  // Judge the newest against the older ones alone, or the shift would widen its own yardstick.
  const older = samples.slice(SHIFT_RUN);
  const centre = weightedQuantile(older, 0.5);
  const spread = logSpread(older);
  if (!(centre > 0)) return samples;
  const shifts = samples.slice(0, SHIFT_RUN).map((s) => (s.value > 0 ? Math.log(s.value / centre) / spread : 0));
  const shifted = shifts.every((z) => z > SHIFT_Z) || shifts.every((z) => z < -SHIFT_Z);
  return shifted ? samples.map((s, i) => (i < SHIFT_RUN ? s : { ...s, weight: s.weight * 0.02 })) : samples;
}

/** sd of log duration, from the 10th and 90th weighted percentiles. */
function logSpread(samples: Weighted[]): number {
  const positive = samples.filter((s) => s.value > 0);
  if (positive.length < 2) return 0.25;
  const logs = positive.map((s) => ({ value: Math.log(s.value), weight: s.weight }));
  return Math.max(0.02, (weightedQuantile(logs, 0.9) - weightedQuantile(logs, 0.1)) / (2 * Z80));
}

/** Expected iteration count given that the loop has reached `iteration`. */
function expectedAtLeast(counts: Weighted[], iteration: number): number {
  const reached = counts.filter((c) => c.value >= iteration);
  return reached.length > 0 ? weightedMean(reached) : iteration + 0.5;
}

/** Variance of the iteration count still to come, given that the loop has reached `iteration`. */
function countVariance(counts: Weighted[], iteration: number): number {
  const reached = counts.filter((c) => c.value >= iteration);
  if (reached.length < 2) return 0;
  const m = weightedMean(reached);
  return weightedMean(reached.map((c) => ({ value: (c.value - m) ** 2, weight: c.weight })));
}

function weightedMean(samples: Weighted[]): number {
  const total = samples.reduce((sum, s) => sum + s.weight, 0);
  return samples.reduce((sum, s) => sum + s.value * s.weight, 0) / total;
}

function band(seconds: number, spread: number, basis: Eta['basis']): Eta {
  // Hundredths: near the end of a short job a band rounded to tenths collapses to [0, 0].
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    seconds: r(seconds),
    low: r(seconds * Math.exp(-Z80 * spread)),
    high: r(seconds * Math.exp(Z80 * spread)),
    basis,
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The calibration a finished job reports: the 80th percentile of its estimates' errors in units
 * of their own spread, so 1 means its bands held 80 % of the time.
 */
export function calibrationOf(estimates: readonly { at: number; seconds: number; spread: number }[], endedAt: number): number | undefined {
  const z = estimates.flatMap(({ at, seconds, spread }) => {
    const truth = endedAt - at;
    return truth > 0 && seconds > 0 && spread > 0 ? [Math.abs(Math.log(truth / seconds)) / spread] : [];
  });
  if (z.length < 5) return undefined;
  z.sort((a, b) => a - b);
  return z[Math.floor(0.8 * (z.length - 1))]! / Z80;
}
