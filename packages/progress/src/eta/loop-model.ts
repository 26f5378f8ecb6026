// A looping stage, per iteration: how many iterations runs make (their counts in history, those of
// runs of a similar size counting most) and how each iteration compares to the one before (the
// median ratio of consecutive iterations' times), so a loop whose iterations shrink or grow is
// followed, and what is left of a loop weighs each further iteration by the chance of reaching it.
import type { JobRecord } from './job-history.ts';
import { sizeWeights } from './size-curve.ts';
import { robustSd, type Weighted, weightedQuantile } from './weighted-quantile.ts';

/** One part of what is left of a job: its median seconds, log sd, and any extra variance in seconds². */
export interface Part {
  median: number;
  sd: number;
  extraVariance?: number;
}

export interface LoopModel {
  /** log of each iteration's time ÷ the one before. */
  logRatio: number;
  /** Iteration counts seen, weighted by recency and likeness of size. */
  counts: Weighted[];
  /** Noise of one iteration against the ratio (log sd). */
  iterationSd: number;
}

/** Widths (log size) tried for how alike in size runs must be to share an iteration count. */
const COUNT_WIDTHS = [0.1, 0.25, 0.5, Number.POSITIVE_INFINITY];

/** The width under which each past run's count, predicted from the others', was closest. */
function countWidth(points: readonly { x?: number; weight: number; value: number }[]): number {
  if (points.length < 4) return 0.5;
  let best = { width: 0.5, error: Number.POSITIVE_INFINITY };
  for (const width of COUNT_WIDTHS) {
    let error = 0;
    points.forEach((p, i) => {
      const others = points.filter((_, j) => j !== i);
      const w = sizeWeights(others, p.x, width);
      const total = w.reduce((a, b) => a + b, 0);
      const predicted = others.reduce((sum, o, j) => sum + o.value * w[j]!, 0) / total;
      error += p.weight * Math.abs(predicted - p.value);
    });
    if (error < best.error - 1e-9) best = { width, error };
  }
  return best.width;
}

/** A noise history cannot measure (one sample, identical ones). */
const FALLBACK_SD = 0.25;
const MIN_SD = 0.02;
/** A loop past every count in history: the chance of yet another iteration, and how far to look. */
const UNSEEN_CONTINUE = 0.5;
const MAX_LOOK_AHEAD = 12;

/** What history says of a looping stage: its iterations' counts and how each compares to the last. */
export function loopModel(
  stage: string,
  records: readonly JobRecord[],
  x0: number | undefined,
  xOf: (r: JobRecord) => number | undefined,
  halfLifeJobs: number,
): LoopModel {
  const ratios: Weighted[] = [];
  const countPoints: { x?: number; weight: number; value: number }[] = [];
  records.forEach((r, age) => {
    const s = r.stages.find((x) => x.name === stage);
    if (!s?.iterations) return;
    const weight = 0.5 ** (age / halfLifeJobs);
    countPoints.push({ x: xOf(r), weight, value: s.iterations });
    const times = s.iterationSeconds ?? [];
    for (let k = 1; k < times.length; k++) {
      if (times[k]! > 0 && times[k - 1]! > 0) ratios.push({ value: Math.log(times[k]! / times[k - 1]!), weight });
    }
  });
  // Iteration counts from runs of a similar size count most when the count follows the input's
  // size: how much so is the width that would have predicted the past runs' counts best.
  const w = sizeWeights(countPoints, x0, countWidth(countPoints));
  const counts = countPoints.map((c, i) => ({ value: c.value, weight: w[i]! + 1e-9 }));
  const logRatio = ratios.length > 0 ? weightedQuantile(ratios, 0.5) : 0;
  // Two iterations' noises are in each ratio: one iteration's is 1/√2 of the ratios' spread.
  const iterationSd = Math.max(
    MIN_SD,
    robustSd(
      ratios.map((r) => ({ value: r.value - logRatio, weight: r.weight })),
      FALLBACK_SD * Math.SQRT2,
    ) / Math.SQRT2,
  );
  return { logRatio, counts: counts.length > 0 ? counts : [{ value: 1, weight: 1 }], iterationSd };
}

/**
 * What is left of a loop at `iteration` (`progress` of it done): the rest of this iteration, then
 * each later one (each the ratio times the last) times the chance the run gets that far.
 */
export function loopPart(
  loop: LoopModel,
  firstSd: number,
  firstSeconds: number,
  iteration: number,
  progress: number,
  thisOne?: Part,
): Part {
  const iterationAt = (k: number) => firstSeconds * Math.exp((k - 1) * loop.logRatio);
  const reached = loop.counts.filter((c) => c.value >= iteration);
  const reachedWeight = reached.reduce((a, c) => a + c.weight, 0);
  /** P(the run makes at least k iterations | it has made `iteration`). */
  const atLeast = (k: number) =>
    reachedWeight > 0 && reached.some((c) => c.value >= k)
      ? reached.filter((c) => c.value >= k).reduce((a, c) => a + c.weight, 0) / reachedWeight
      : reachedWeight > 0
        ? 0
        : UNSEEN_CONTINUE ** (k - iteration);
  const last = Math.max(iteration + MAX_LOOK_AHEAD, ...loop.counts.map((c) => c.value));
  const current = thisOne ?? { median: iterationAt(iteration), sd: firstSd };
  let mean = current.median * (1 - progress);
  let noise = (mean * current.sd) ** 2;
  // Seconds still to come for each possible count, to weigh the count's uncertainty.
  const outcomes: { seconds: number; p: number }[] = [];
  let cumulative = 0;
  let k = iteration + 1;
  for (; k <= last; k++) {
    const pk = atLeast(k);
    if (pk <= 1e-6) break;
    const seconds = current.median * Math.exp((k - iteration) * loop.logRatio);
    mean += pk * seconds;
    noise += pk * (seconds * loop.iterationSd) ** 2;
    outcomes.push({ seconds: cumulative, p: atLeast(k - 1) - pk });
    cumulative += seconds;
  }
  outcomes.push({ seconds: cumulative, p: atLeast(k - 1) });
  const expectedExtra = outcomes.reduce((a, o) => a + o.p * o.seconds, 0);
  const countVariance = outcomes.reduce((a, o) => a + o.p * (o.seconds - expectedExtra) ** 2, 0);
  const sd = mean > 0 ? Math.sqrt(noise) / mean : 0;
  // A part is told by its median; the sum above is a mean.
  return { median: mean * Math.exp(-(sd * sd) / 2), sd, extraVariance: countVariance };
}
