// Each stage's usual time for a job of this size: the 10th to 90th percentile of its past
// durations, each scaled to this job's size by the stage's own size exponent (a robust fit of
// log time on log size). It says when a running stage is "slower than usual" (model/slow-stage.ts),
// apart from the estimator, so that the warning means the same thing whatever the ETA does.
import type { StageSpec } from '../model/pipeline-spec.ts';
import type { UsualBand } from '../model/slow-stage.ts';
import type { JobRecord } from './job-history.ts';

/** Fewer past runs of a stage than this, and it has no band: a "usual" needs a few jobs behind it. */
export const MIN_JOBS_FOR_BAND = 5;
/** Size exponents are kept in this range: a stage does not get faster on bigger jobs, nor worse than quadratic. */
const MAX_EXPONENT = 2;
/** Two jobs' sizes must differ by more than this (in log) for their pair to say how time grows with size. */
const MIN_LOG_SIZE_GAP = 0.1;

/** The band of every stage with enough history, for a job of `size` (unscaled without one). */
export function stageBands(stages: readonly StageSpec[], history: readonly JobRecord[], size?: number): Map<string, UsualBand> {
  const bands = new Map<string, UsualBand>();
  for (const { name } of stages) {
    const band = stageBand(
      history.flatMap((record) => {
        const stage = record.stages.find((s) => s.name === name);
        return stage && stage.seconds > 0 ? [{ seconds: stage.seconds, size: record.size }] : [];
      }),
      size,
    );
    if (band) bands.set(name, band);
  }
  return bands;
}

/** One stage's band from its past runs (`seconds` > 0); undefined with fewer than MIN_JOBS_FOR_BAND. */
export function stageBand(runs: readonly { seconds: number; size?: number }[], size?: number): UsualBand | undefined {
  if (runs.length < MIN_JOBS_FOR_BAND) return undefined;
  const exponent = size && size > 0 ? stageSizeExponent(runs) : 0;
  const scaled = runs
    .map((run) => (exponent && run.size && run.size > 0 ? run.seconds * (size! / run.size) ** exponent : run.seconds))
    .sort((a, b) => a - b);
  return { low: round2(sortedQuantile(scaled, 0.1)), high: round2(sortedQuantile(scaled, 0.9)) };
}

/**
 * How a stage's time grows with the job's size, as the exponent of time ∝ size^k: the median of
 * the slopes between pairs of runs of clearly different sizes (Theil–Sen on logs), so a few
 * outlying runs do not tilt it. 0 when sizes do not vary.
 */
export function stageSizeExponent(runs: readonly { seconds: number; size?: number }[]): number {
  const points = runs.flatMap((r) => (r.size && r.size > 0 ? [{ x: Math.log(r.size), y: Math.log(r.seconds) }] : []));
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (Math.abs(dx) > MIN_LOG_SIZE_GAP) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  if (slopes.length < MIN_JOBS_FOR_BAND) return 0;
  slopes.sort((a, b) => a - b);
  return Math.min(MAX_EXPONENT, Math.max(0, sortedQuantile(slopes, 0.5)));
}

/** The q-quantile of sorted values, interpolated between the two nearest (R's type 7). */
export function sortedQuantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
