// How one stage's time grows with the job's size. Two shapes, and per stage the one that would
// have predicted the past jobs best (each left out of its own fit):
// - affine: a fixed part plus a part per unit (seconds = a + b × size), fitted over all jobs; the
//   commonest shape of real work, and with two numbers to learn the most precise when it holds;
// - local: log seconds against log size, with the slope and the level read from the jobs nearest
//   in size, for any other shape (a cost growing like √size, say).
// Both are robust: clipped (Huber) fits, so a run that took five times as long moves little.
import { robustSd, type Weighted, weightedQuantiles, Z80 } from './weighted-quantile.ts';

export interface CurvePoint {
  /** log of the job's size, when it has one. */
  x?: number;
  /** log seconds. */
  y: number;
  /** How much the point counts before size is considered (recency). */
  weight: number;
}

/** Kernel widths in log size: the level from jobs within about ×1.6, the slope from about ×2.7. */
const LEVEL_WIDTH = 0.5;
const SLOPE_WIDTH = 1;
/** Pairs closer in size than this say little about the slope. */
const MIN_DX = Math.log(1.3);
/** Sizes at which the local slope is computed, spanning the history's. */
const GRID = 9;
/** Jobs, newest first, on which the two shapes are compared. */
const CHECKED = 20;
/** With no two jobs of different size: time in proportion to size, the plainest guess. */
const PRIOR_SLOPE = 1;

/** Weights w × exp(−d²/2h²), rescaled so the largest is 1 (far sizes would otherwise underflow). */
export function sizeWeights(points: readonly { x?: number; weight: number }[], x: number | undefined, width: number): number[] {
  const logs = points.map(
    (p) => Math.log(Math.max(p.weight, 1e-300)) - (x !== undefined && p.x !== undefined ? (p.x - x) ** 2 / (2 * width * width) : 0),
  );
  const top = Math.max(...logs);
  return logs.map((l) => Math.exp(l - top));
}

export class SizeCurve {
  readonly #points: readonly CurvePoint[];
  readonly #pairs: { slope: number; i: number; j: number; dx2: number }[] = [];
  readonly #grid: (number | undefined)[] = [];
  readonly #atCache = new Map<number, number>();
  readonly #affine?: { a: number; b: number };

  /** `choose`: try the affine shape too (the first, rough pass over history skips it). */
  constructor(points: readonly CurvePoint[], choose = true) {
    this.#points = points;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const a = points[i]!;
        const b = points[j]!;
        if (a.x === undefined || b.x === undefined || Math.abs(a.x - b.x) < MIN_DX) continue;
        this.#pairs.push({ slope: (b.y - a.y) / (b.x - a.x), i, j, dx2: (b.x - a.x) ** 2 });
      }
    }
    this.#pairs.sort((a, b) => a.slope - b.slope);
    if (this.#pairs.length < 3 || !choose) return;
    // Leave-one-out errors of both shapes on the newest jobs, weighted by recency: the better one is kept.
    let local = 0;
    let affine = 0;
    points.slice(0, CHECKED).forEach((p, i) => {
      if (p.x === undefined) return;
      local += p.weight * Math.abs(p.y - this.#local(p.x, i));
      const fit = affineFit(points, i);
      affine += p.weight * (fit ? Math.abs(p.y - Math.log(fit.a + fit.b * Math.exp(p.x))) : Number.POSITIVE_INFINITY);
    });
    if (affine < local) this.#affine = affineFit(points);
  }

  /** Median log seconds of a job of log size x (no size: of any job). */
  at(x: number | undefined): number {
    if (this.#affine && x !== undefined) return Math.log(this.#affine.a + this.#affine.b * Math.exp(x));
    // Many past jobs share a size: each size is fitted once.
    const key = x ?? Number.NaN;
    let y = this.#atCache.get(key);
    if (y === undefined) this.#atCache.set(key, (y = this.#local(x)));
    return y;
  }

  /**
   * d log seconds / d log size near log size x: the weighted median of pairwise slopes
   * (Theil–Sen), read on a grid of sizes and interpolated, as every past job needs one.
   */
  #slopeAt(x: number | undefined): number {
    if (x === undefined || this.#pairs.length === 0) return PRIOR_SLOPE;
    const xs = this.#points.flatMap((p) => (p.x === undefined ? [] : [p.x]));
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const at = clampTo(((x - lo) / (hi - lo)) * (GRID - 1), 0, GRID - 1);
    const i = Math.min(GRID - 2, Math.floor(at));
    const slope = (k: number) => {
      let cached = this.#grid[k];
      if (cached === undefined) this.#grid[k] = cached = this.#slopeNear(lo + ((hi - lo) * k) / (GRID - 1));
      return cached;
    };
    return slope(i) + (at - i) * (slope(i + 1) - slope(i));
  }

  #slopeNear(x: number): number {
    const w = sizeWeights(this.#points, x, SLOPE_WIDTH);
    // A pair far apart in size tells the slope more precisely (its noise ÷ the distance): weight dx².
    // The pairs are sorted by slope once: the weighted median is one pass.
    const weightOf = (p: { i: number; j: number; dx2: number }) => w[p.i]! * w[p.j]! * p.dx2 + 1e-12;
    const half = this.#pairs.reduce((sum, p) => sum + weightOf(p), 0) / 2;
    let below = 0;
    let median = this.#pairs.at(-1)!.slope;
    for (const p of this.#pairs) {
      below += weightOf(p);
      if (below >= half) {
        median = p.slope;
        break;
      }
    }
    return Math.min(1.5, Math.max(0, median));
  }

  /** The local shape's log seconds at x, without point `exclude` (for its leave-one-out error). */
  #local(x: number | undefined, exclude = -1): number {
    const slope = this.#slopeAt(x);
    const w = sizeWeights(this.#points, x, LEVEL_WIDTH);
    const shifted = this.#points.flatMap((p, i) =>
      i === exclude ? [] : [{ value: p.y - (x !== undefined && p.x !== undefined ? slope * (p.x - x) : 0), weight: w[i]! + 1e-12 }],
    );
    return huberCentre(shifted);
  }
}

/**
 * seconds = a + b × size with a, b ≥ 0, by iteratively reweighted least squares on relative
 * errors (noise is multiplicative), each point's error clipped at 1.5 spreads (Huber).
 */
function affineFit(points: readonly CurvePoint[], exclude = -1): { a: number; b: number } | undefined {
  const data = points.flatMap((p, i) => (i === exclude || p.x === undefined ? [] : [{ s: Math.exp(p.x), t: Math.exp(p.y), w: p.weight }]));
  if (data.length < 3) return undefined;
  let robust = data.map(() => 1);
  let fit = { a: 0, b: 0 };
  for (let round = 0; round < 4; round++) {
    // Weighted least squares with weight w / t² (relative error), then a ≥ 0 and b ≥ 0.
    let sw = 0;
    let ss = 0;
    let sss = 0;
    let st = 0;
    let sst = 0;
    data.forEach(({ s, t, w }, i) => {
      const k = (w * robust[i]!) / (t * t);
      sw += k;
      ss += k * s;
      sss += k * s * s;
      st += k * t;
      sst += k * s * t;
    });
    const det = sw * sss - ss * ss;
    let a = det > 0 ? (st * sss - ss * sst) / det : st / sw;
    let b = det > 0 ? (sw * sst - ss * st) / det : 0;
    if (a < 0) [a, b] = [0, sst / sss];
    if (b < 0) [a, b] = [st / sw, 0];
    fit = { a, b };
    const errors = data.map(({ s, t }) => Math.log(Math.max(a + b * s, 1e-9) / t));
    const limit =
      1.5 *
      robustSd(
        errors.map((e) => ({ value: e, weight: 1 })),
        Number.POSITIVE_INFINITY,
      );
    robust = errors.map((e) => (Number.isFinite(limit) && Math.abs(e) > limit ? limit / Math.abs(e) : 1));
  }
  return fit.a + fit.b > 0 ? fit : undefined;
}

/**
 * A centre as robust as the median yet nearly as precise as the mean: the mean of the values
 * clipped to 1.5 spreads around the median (one Huber step).
 */
export function huberCentre(samples: readonly Weighted[]): number {
  const [p10, median, p90] = weightedQuantiles(samples, [0.1, 0.5, 0.9]) as [number, number, number];
  // 1.5 robust sds (the 10th–90th percentile span ÷ 2 z80), as robustSd reads them.
  const limit = samples.length < 3 ? Number.POSITIVE_INFINITY : (1.5 * (p90 - p10)) / (2 * Z80);
  if (!Number.isFinite(limit) || limit <= 0) return median;
  let sum = 0;
  let total = 0;
  for (const { value, weight } of samples) {
    sum += weight * clampTo(value - median, -limit, limit);
    total += weight;
  }
  return median + sum / total;
}

const clampTo = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
