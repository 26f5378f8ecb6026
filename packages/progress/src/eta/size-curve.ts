// How one stage's time grows with the job's size, fitted around one size at a time: log seconds
// against log size, with the slope and the level both read from the jobs nearest in size. A stage
// that costs a fixed part plus a part per unit is steep for large jobs and flat for small ones; a
// single power law over both would be wrong for each, a local one is right for both. Medians, not
// means, so a run that took five times as long moves nothing.
import { weightedQuantile } from './weighted-quantile.ts';

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
/** With no two jobs of different size: time in proportion to size, the plainest guess. */
const PRIOR_SLOPE = 1;

/** Weights w × exp(−d²/2h²), rescaled so the largest is 1 (far sizes would otherwise underflow). */
export function sizeWeights(points: readonly { x?: number; weight: number }[], x: number | undefined, width: number): number[] {
  const logs = points.map((p) => Math.log(Math.max(p.weight, 1e-300)) - (x !== undefined && p.x !== undefined ? (p.x - x) ** 2 / (2 * width * width) : 0));
  const top = Math.max(...logs);
  return logs.map((l) => Math.exp(l - top));
}

export class SizeCurve {
  readonly #points: readonly CurvePoint[];
  readonly #pairs: { slope: number; i: number; j: number }[] = [];

  constructor(points: readonly CurvePoint[]) {
    this.#points = points;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const a = points[i]!;
        const b = points[j]!;
        if (a.x === undefined || b.x === undefined || Math.abs(a.x - b.x) < MIN_DX) continue;
        this.#pairs.push({ slope: (b.y - a.y) / (b.x - a.x), i, j });
      }
    }
    this.#pairs.sort((a, b) => a.slope - b.slope);
  }

  /** d log seconds / d log size near log size x: the weighted median of pairwise slopes (Theil–Sen). */
  slopeAt(x: number | undefined): number {
    if (x === undefined || this.#pairs.length === 0) return PRIOR_SLOPE;
    const w = sizeWeights(this.#points, x, SLOPE_WIDTH);
    // The pairs are sorted by slope once: the weighted median is one pass.
    const weightOf = (p: { i: number; j: number }) => w[p.i]! * w[p.j]! + 1e-12;
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

  /** Median log seconds of a job of log size x (no size: of any job). */
  at(x: number | undefined): number {
    const slope = this.slopeAt(x);
    const w = sizeWeights(this.#points, x, LEVEL_WIDTH);
    const shifted = this.#points.map((p, i) => ({
      value: p.y - (x !== undefined && p.x !== undefined ? slope * (p.x - x) : 0),
      weight: w[i]! + 1e-12,
    }));
    return weightedQuantile(shifted, 0.5);
  }
}
