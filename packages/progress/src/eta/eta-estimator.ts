// Estimates a running job's remaining time, with an 80 % band, from its pipeline's history and
// from how this job has run so far. The model, in log seconds:
//
//   stage time = curve(stage, size) + speed(job) + noise(stage)
//
// - curve: how the stage's time grows with size, fitted around this job's size (size-curve.ts);
//   medians throughout, so heavy tails move nothing.
// - speed: what history says of the pipeline's speed now (speed-level.ts follows drift and
//   regime changes job after job), corrected by this job's own finished stages and the running
//   stage's pace, each weighed by how much it says (its noise against the speed's spread).
//   A job of a size history has not seen has its curves extrapolated: their error, growing with
//   how far beyond history's sizes it is, joins the speed's spread, so its first stages set it.
// - a looping stage is modelled per iteration: the first iteration's curve, how each iteration
//   compares to the one before (a ratio learned from history), and how many iterations runs make
//   (their distribution in history, given how far this run has got); this run's own iterations
//   outweigh history once there are some.
// The stages left are summed as log-normals (Fenton–Wilkinson), which gives the median to report
// and the band; past jobs say how far their bands were off (`calibration`) and the band is
// widened or narrowed by that. Without history the job's own pace is all there is.
import type { Eta } from '../model/events.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import { calibrationFrom } from './band-calibration.ts';
import type { JobRecord, StageRecord } from './job-history.ts';
import { type LoopModel, loopModel, loopPart, type Part } from './loop-model.ts';
import { type CurvePoint, SizeCurve } from './size-curve.ts';
import { forecastLevel } from './speed-level.ts';
import { normalCdf, normalQuantile, robustSd, weightedMean, Z80 } from './weighted-quantile.ts';

/** The newest jobs the estimator reads: enough for curves and for the speed's forecast. */
export const HISTORY_WINDOW = 60;
/** Old jobs still shape the size curves, fading slowly; the speed follows the recent ones. */
const CURVE_HALF_LIFE_JOBS = 30;
/** How far back the bands' calibration looks. */
const CALIBRATION_HALF_LIFE_JOBS = 5;
/** Spread of a stage's time read from its own pace at half done (log sd); less as it goes on. */
const PACE_SD = 0.3;
/** A stage's noise that history cannot measure (one sample, identical ones). */
const FALLBACK_SD = 0.25;
const MIN_SD = 0.02;
/** Without history: how far (log sd) a stage's declared weight may be from its share of the time. */
const COLD_WEIGHT_SD = 0.5;
/** Below this much of the job done, its own pace says nothing yet (no history). */
const MIN_RATE_FRACTION = 0.03;
/**
 * Beyond the sizes history has seen, how a stage's time grows with size is a guess: its log-log
 * slope could be anything from a fixed cost's 0 to a per-unit cost's 1, whose sd (uniform) is
 * 1/√12. Per unit of log size beyond the nearest size seen, the curves' error grows by that much.
 */
const EXTRAPOLATION_SLOPE_SD = 1 / Math.sqrt(12);

interface StageModel {
  /** log seconds of the stage (a loop: of its first iteration) for this job at the usual speed. */
  mu: number;
  /** Its own noise (log sd), the speed's shared part taken out. */
  sd: number;
  loop?: LoopModel;
}

export interface EstimateInput {
  elapsedS: number;
  stage: string;
  stageElapsedS: number;
  stageProgress?: number;
  iteration?: number;
  /** A looping running stage: seconds of its iterations already finished, in order. */
  iterationSeconds?: readonly number[];
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

/** The time a stage took, a loop's first iteration's (or its mean iteration's when not recorded). */
function unitSeconds(s: StageRecord, loops: boolean): number {
  if (!loops) return s.seconds;
  if (s.iterationSeconds && s.iterationSeconds.length > 0) return s.iterationSeconds[0]!;
  return s.iterations ? s.seconds / s.iterations : s.seconds;
}

export class EtaEstimator {
  readonly #stages: readonly StageSpec[];
  readonly #models = new Map<string, StageModel>();
  /** Variance (log) of this job's speed around the forecast, before it has run. */
  readonly #speedVariance: number = FALLBACK_SD ** 2;
  /** The part of it that is the curves' error at a size history has not seen (0 within its sizes). */
  readonly #extrapolationVariance: number = 0;
  /** How much wider than the model's spread history says the band must be. */
  readonly #calibration: number = 1;

  constructor(stages: readonly StageSpec[], history: readonly JobRecord[], size?: number) {
    this.#stages = stages;
    const records = history.slice(0, HISTORY_WINDOW);
    if (records.length === 0) return;
    const x0 = size && size > 0 ? Math.log(size) : undefined;
    const xOf = (r: JobRecord) => (r.size && r.size > 0 ? Math.log(r.size) : undefined);
    const recency = (age: number) => 0.5 ** (age / CURVE_HALF_LIFE_JOBS);
    // Recent jobs only: older ones were estimated from less history, with wider errors.
    this.#calibration = calibrationFrom(records, (age) => 0.5 ** (age / CALIBRATION_HALF_LIFE_JOBS));

    // Log seconds of each stage (a loop: its first iteration) in each past job.
    const logTimes = new Map<string, (number | undefined)[]>();
    for (const stage of stages) {
      const times = records.map((r) => {
        const s = r.stages.find((x) => x.name === stage.name);
        const seconds = s ? unitSeconds(s, stage.loops === true) : 0;
        return seconds > 0 ? Math.log(seconds) : undefined;
      });
      if (times.some((t) => t !== undefined)) logTimes.set(stage.name, times);
    }
    if (logTimes.size === 0) return;
    const spreadOf = (values: (number | undefined)[]) =>
      Math.max(
        MIN_SD,
        robustSd(
          values.flatMap((v) => (v === undefined ? [] : [{ value: v, weight: 1 }])),
          FALLBACK_SD,
        ),
      );
    /**
     * The size curves with each past job's speed taken out, each job's residuals against them,
     * and each job's speed: its stages' residuals pooled, each weighed by its stage's spread.
     */
    const fit = (speeds: (number | undefined)[], choose: boolean) => {
      const curves = new Map<string, SizeCurve>();
      const residuals = new Map<string, (number | undefined)[]>();
      for (const [name, times] of logTimes) {
        const points: CurvePoint[] = records.flatMap((r, age) =>
          times[age] === undefined ? [] : [{ x: xOf(r), y: times[age]! - (speeds[age] ?? 0), weight: recency(age) }],
        );
        const curve = new SizeCurve(points, choose);
        curves.set(name, curve);
        residuals.set(
          name,
          records.map((r, age) => (times[age] === undefined ? undefined : times[age]! - curve.at(xOf(r)))),
        );
      }
      const rawSd = new Map([...residuals].map(([name, values]) => [name, spreadOf(values)]));
      const jobSpeeds = records.map((_, age) => {
        const pooled = pool(
          [...residuals].flatMap(([name, values]) => (values[age] === undefined ? [] : [{ d: values[age]!, v: rawSd.get(name)! ** 2 }])),
        );
        return pooled ? pooled.sum / pooled.precision : undefined;
      });
      return { curves, residuals, speeds: jobSpeeds };
    };
    // Twice: the pipeline's speed at each past job, as smoothed from the first pass, taken out,
    // lets the second fit the curves' shapes cleanly (raw per-job speeds would add their noise).
    const smoothedPath = (speeds: (number | undefined)[]) => {
      const known = speeds.flatMap((z, age) => (z === undefined ? [] : [{ z, age }])).reverse();
      const { path } = forecastLevel(
        known.map((k) => k.z),
        FALLBACK_SD,
      );
      const out: (number | undefined)[] = records.map(() => undefined);
      known.forEach((k, i) => {
        out[k.age] = path[i];
      });
      return out;
    };
    const { curves, residuals, speeds } = fit(smoothedPath(fit([], false).speeds), true);
    const level = forecastLevel(speeds.filter((z) => z !== undefined).reverse(), FALLBACK_SD);

    let idioPrecision = 0;
    for (const stage of stages) {
      const curve = curves.get(stage.name);
      if (!curve) continue;
      const own = residuals.get(stage.name)!.map((e, age) => (e === undefined || speeds[age] === undefined ? undefined : e - speeds[age]!));
      const model: StageModel = { mu: curve.at(x0) + level.level, sd: spreadOf(own) };
      idioPrecision += 1 / model.sd ** 2;
      if (stage.loops) model.loop = loopModel(stage.name, records, x0, xOf, CURVE_HALF_LIFE_JOBS);
      this.#models.set(stage.name, model);
    }
    // The forecast's error holds both the speed's own uncertainty and the stages' noise averaged
    // over a job; only the first is shared by the stages still to come.
    // A job of a size outside all of history's: every curve is extrapolated, and their errors
    // (slopes read from sizes unlike this one) go the same way for all its stages, like a speed
    // of its own. So this job's level is that much less sure before it runs, and its first
    // stages' times, however far from the curves, are read as its level rather than as tails.
    const sizes = records.flatMap((r) => (xOf(r) === undefined ? [] : [xOf(r)!]));
    const beyond = x0 === undefined || sizes.length === 0 ? 0 : Math.max(0, x0 - Math.max(...sizes), Math.min(...sizes) - x0);
    this.#extrapolationVariance = (EXTRAPOLATION_SLOPE_SD * beyond) ** 2;
    this.#speedVariance = Math.max(MIN_SD ** 2, level.sd ** 2 - 1 / idioPrecision) + this.#extrapolationVariance;
  }

  get hasHistory(): boolean {
    return this.#models.size > 0;
  }

  /** Learned seconds of a stage for this job (a loop: all its expected iterations): the percentage's weights. */
  expectedSeconds(stage: string): number | undefined {
    const model = this.#models.get(stage);
    if (!model) return undefined;
    return model.loop ? loopPart(model.loop, model.sd, Math.exp(model.mu), 1, 0).median : Math.exp(model.mu);
  }

  /** Mean iteration count of a looping stage in history. */
  expectedIterations(stage: string): number | undefined {
    const counts = this.#models.get(stage)?.loop?.counts;
    return counts ? weightedMean(counts) : undefined;
  }

  estimate(input: EstimateInput): Eta {
    return this.estimateDetailed(input).eta;
  }

  estimateDetailed(input: EstimateInput): DetailedEstimate {
    if (!this.hasHistory) return this.#fromPace(input);
    const current = input.finished.has(input.stage) ? undefined : this.#models.get(input.stage);
    const p = input.stageProgress;
    // This job's speed against the forecast: what its finished stages say, then the running
    // stage's pace too (a loop speaks for itself through its iterations).
    const evidence: { d: number; v: number }[] = [];
    for (const [name, seconds] of input.finished) {
      const model = this.#models.get(name);
      if (model && !model.loop && seconds > 0) evidence.push({ d: Math.log(seconds) - model.mu, v: model.sd ** 2 });
    }
    const before = posterior(this.#speedVariance, evidence, this.#extrapolationVariance);
    if (current && !current.loop && p !== undefined && p >= 0.05 && input.stageElapsedS > 0) {
      evidence.push({ d: Math.log(input.stageElapsedS / p) - current.mu, v: current.sd ** 2 + paceVariance(p) });
    }
    const speed = posterior(this.#speedVariance, evidence, this.#extrapolationVariance);

    const parts: Part[] = [];
    if (current) parts.push(this.#currentPart(current, input, before));
    for (const stage of this.#stages) {
      if (stage.name === input.stage || input.finished.has(stage.name)) continue;
      const model = this.#models.get(stage.name);
      if (!model) continue;
      const median = Math.exp(model.mu + speed.mean);
      parts.push(model.loop ? loopPart(model.loop, model.sd, median, 1, 0) : { median, sd: model.sd });
    }
    const { median, sd } = sumOf(parts, speed.variance);
    return { eta: band(median, sd * this.#calibration, 'history'), spread: sd };
  }

  /** The running stage's remaining seconds. */
  #currentPart(model: StageModel, input: EstimateInput, speed: { mean: number; variance: number }): Part {
    const p = input.stageProgress;
    if (model.loop) {
      const iteration = Math.max(1, input.iteration ?? 1);
      const own = input.iterationSeconds ?? [];
      // The first iteration's log time: history's, then this run's own iterations, ratio undone.
      let first = { mean: model.mu + speed.mean, variance: model.sd ** 2 + speed.variance };
      if (own.length > 0) {
        const observed = own.filter((s) => s > 0).map((s, k) => Math.log(s) - k * model.loop!.logRatio);
        if (observed.length > 0) {
          const v = model.loop.iterationSd ** 2 / observed.length;
          const m = observed.reduce((a, b) => a + b, 0) / observed.length;
          first = combine(first, { mean: m, variance: v });
        }
      }
      const doneOfThis = Math.max(0, input.stageElapsedS - own.reduce((a, b) => a + b, 0));
      let logThis = first.mean + (iteration - 1) * model.loop.logRatio;
      let varThis = first.variance + model.loop.iterationSd ** 2;
      if (p !== undefined && p >= 0.05 && doneOfThis > 0) {
        const paced = combine({ mean: logThis, variance: varThis }, { mean: Math.log(doneOfThis / p), variance: paceVariance(p) });
        logThis = paced.mean;
        varThis = paced.variance;
      }
      return loopPart(model.loop, model.sd, Math.exp(first.mean), iteration, p ?? 0, { median: Math.exp(logThis), sd: Math.sqrt(varThis) });
    }
    const mean = model.mu + speed.mean;
    const variance = model.sd ** 2 + speed.variance;
    if (p !== undefined && p > 0 && input.stageElapsedS > 0) {
      // History's time for the stage and the stage's own pace, each by how much it says.
      const total = combine({ mean, variance }, { mean: Math.log(input.stageElapsedS / p), variance: paceVariance(p) });
      return { median: Math.exp(total.mean) * (1 - p), sd: Math.sqrt(total.variance) };
    }
    // No progress of its own: what is left of a log-normal stage that has already run this long.
    const sd = Math.sqrt(variance);
    const survived = 1 - normalCdf((Math.log(Math.max(input.stageElapsedS, 1e-9)) - mean) / sd);
    const median = Math.exp(mean + sd * normalQuantile(1 - survived / 2));
    return { median: Math.max(median - input.stageElapsedS, 0.01), sd };
  }

  /**
   * No history: the running stage's own pace for its remainder, and the pace of the finished
   * stages per unit of declared weight for the stages still to come, blended with the job's
   * overall pace (elapsed ÷ fraction done) by how much of the job is finished. With too little to go on
   * for the first (a loop, no finished stage yet), the overall pace alone.
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
    // The running stage's time: its declared weight at the finished stages' pace, and its own
    // pace, each by how much it says (a declared weight is a rough guess; a pace firms up as it goes).
    const byWeight = current.weight * (doneSeconds / doneWeight);
    let currentLeft = Math.max(0, byWeight - stageElapsedS);
    let total = byWeight;
    if (p !== undefined && p > 0 && stageElapsedS > 0) {
      const v = paceVariance(p);
      const precision = 1 / COLD_WEIGHT_SD ** 2 + 1 / v;
      total = Math.exp((Math.log(byWeight) / COLD_WEIGHT_SD ** 2 + Math.log(stageElapsedS / p) / v) / precision);
      currentLeft = total * (1 - p);
    }
    // The stages to come at the pace of all that has run, the running stage's share included.
    const perWeight = (doneSeconds + stageElapsedS) / (doneWeight + current.weight * Math.min(1, stageElapsedS / total));
    const futureWeight = this.#stages.filter((s) => s.name !== stage && !finished.has(s.name)).reduce((sum, s) => sum + s.weight, 0);
    const byStage = currentLeft + futureWeight * perWeight;
    // Two estimates with partly independent errors, averaged in log, the stage-aware one weighed
    // by the share of declared weight already finished: its per-weight pace rests on those stages,
    // and on one or two of them (whose declared weights may be far off) it is worse than the job's
    // overall pace, which pools the running stage's progress too; with most stages behind it, it
    // knows better, reading the running stage by its own pace where the overall pace spreads one
    // slow stage over all the rest. (Floored: at the very end either may be 0, and 0 × log 0 is not 0.)
    const trust = doneWeight / this.#stages.reduce((sum, s) => sum + s.weight, 0);
    const log = (x: number) => Math.log(Math.max(x, 1e-3));
    const seconds = Math.exp(trust * log(byStage) + (1 - trust) * log(overall));
    return { eta: band(seconds, spread, 'rate'), spread };
  }
}

/** Variance (log) of a stage's total read from its pace at progress p: large early, none at the end. */
const paceVariance = (p: number) => Math.max(1e-6, (PACE_SD ** 2 * (1 - p)) / Math.max(p, 1e-3));

/**
 * Pooled evidence of a speed (each piece a log ratio `d` with variance `v`): the precision-weighted
 * mean. One piece far off while others are not is a tail, clipped to 2.5 sd; all of them far off
 * the same way is the speed itself, kept whole. "Far off" counts `unmeasured` too: what the
 * forecast does not know and history never measured (the curves' error at a size it has not
 * seen), so a first stage far from an extrapolated curve is read as the job's level, not as a
 * tail. (The speed's own spread is left out: history measured it on pieces clipped this way.)
 */
function pool(evidence: readonly { d: number; v: number }[], unmeasured = 0) {
  let raw = 0;
  let precision = 0;
  for (const { d, v } of evidence) {
    raw += d / v;
    precision += 1 / v;
  }
  if (precision === 0) return undefined;
  const sign = Math.sign(raw);
  const sdOf = (v: number) => Math.sqrt(v + unmeasured);
  const agree = evidence.length >= 2 && evidence.every((e) => Math.sign(e.d) === sign && Math.abs(e.d) > 2 * sdOf(e.v));
  let sum = 0;
  for (const { d, v } of evidence) sum += (agree ? d : clamp(d, -2.5 * sdOf(v), 2.5 * sdOf(v))) / v;
  return { sum, precision };
}

/** The job's speed offset after its evidence, shrunk towards the forecast by the forecast's variance (see `combine`). */
function posterior(priorVariance: number, evidence: readonly { d: number; v: number }[], unmeasured = 0) {
  const pooled = pool(evidence, unmeasured);
  if (!pooled) return { mean: 0, variance: priorVariance };
  return combine({ mean: 0, variance: priorVariance }, { mean: pooled.sum / pooled.precision, variance: 1 / pooled.precision });
}

/**
 * A prior and an observation (log seconds, each with its variance), weighed by precision. When
 * the observation lies more than 3 sd outside what the prior allows, the prior was too sure (a
 * history of near-identical runs meeting a run unlike them, or the pipeline changed): it widens
 * to reach the observation, as a heavy-tailed prior would, instead of dragging the estimate back.
 */
function combine(prior: { mean: number; variance: number }, observed: { mean: number; variance: number }) {
  const gap = (observed.mean - prior.mean) ** 2;
  const priorVariance = gap / (prior.variance + observed.variance) > 9 ? Math.max(prior.variance, gap) : prior.variance;
  const precision = 1 / priorVariance + 1 / observed.variance;
  return { mean: (prior.mean / priorVariance + observed.mean / observed.variance) / precision, variance: 1 / precision };
}

/**
 * The sum of independent log-normal parts as one log-normal (Fenton–Wilkinson: same mean and
 * variance), times the job's speed, which all of them share: its median and log sd.
 */
function sumOf(parts: readonly Part[], sharedVariance: number): { median: number; sd: number } {
  let mean = 0;
  let variance = 0;
  for (const { median, sd, extraVariance } of parts) {
    const m = median * Math.exp((sd * sd) / 2);
    mean += m;
    variance += m * m * (Math.exp(sd * sd) - 1) + (extraVariance ?? 0);
  }
  if (mean <= 0) return { median: 0, sd: 0 };
  const logVariance = Math.log(1 + variance / mean ** 2);
  return { median: mean / Math.sqrt(1 + variance / mean ** 2), sd: Math.sqrt(logVariance + sharedVariance) };
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
