// How wide the ETA's 80 % band must be. Each finished job reports how far off its estimates
// were, in units of the model's own spread; the band factor is the one under which recent jobs'
// estimates, pooled, would have fallen inside the band 80 % of the time.
import type { JobRecord } from './job-history.ts';
import { normalCdf, weightedMean, Z80 } from './weighted-quantile.ts';

/**
 * The band factor under which the past jobs' estimates, pooled, would have fallen inside the band
 * 80 % of the time: from the deciles of each job's errors (`errorDecilesOf`), or, for records
 * that carry only a scale, taking each job's errors as half-normal with that scale. 1 with fewer
 * than three jobs to go on.
 */
export function calibrationFrom(records: readonly JobRecord[], weightOf: (age: number) => number): number {
  const withDeciles = records.flatMap((r, age) => (r.errorDeciles?.length ? [{ deciles: r.errorDeciles, weight: weightOf(age) }] : []));
  const withScale = records.flatMap((r, age) =>
    r.calibration !== undefined && Number.isFinite(r.calibration) && r.calibration > 0
      ? [{ scale: r.calibration, weight: weightOf(age) }]
      : [],
  );
  let coverage: (c: number) => number;
  if (withDeciles.length >= 3) {
    coverage = (c) =>
      weightedMean(
        withDeciles.map(({ deciles, weight }) => ({ value: deciles.filter((z) => z <= Z80 * c).length / deciles.length, weight })),
      );
  } else if (withScale.length >= 3) {
    coverage = (c) => weightedMean(withScale.map(({ scale, weight }) => ({ value: 2 * normalCdf((Z80 * c) / scale) - 1, weight })));
  } else {
    return 1;
  }
  let lo = 0.3;
  let hi = 6;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (coverage(mid) < 0.8) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Each estimate's error in units of its own spread, |ln(true ÷ estimate)| ÷ spread, sorted. */
function spreadErrors(estimates: readonly { at: number; seconds: number; spread: number }[], endedAt: number): number[] {
  return estimates
    .flatMap(({ at, seconds, spread }) => {
      const truth = endedAt - at;
      return truth > 0 && seconds > 0 && spread > 0 ? [Math.abs(Math.log(truth / seconds)) / spread] : [];
    })
    .sort((a, b) => a - b);
}

/**
 * The calibration a finished job reports: the 80th percentile of its estimates' errors in units
 * of their own spread, ÷ z80, so 1 means its bands held 80 % of the time.
 */
export function calibrationOf(estimates: readonly { at: number; seconds: number; spread: number }[], endedAt: number): number | undefined {
  const z = spreadErrors(estimates, endedAt);
  return z.length < 5 ? undefined : z[Math.floor(0.8 * (z.length - 1))]! / Z80;
}

/** The same errors' 5th, 15th, …, 95th percentiles: how they spread, for the pooled calibration. */
export function errorDecilesOf(
  estimates: readonly { at: number; seconds: number; spread: number }[],
  endedAt: number,
): number[] | undefined {
  const z = spreadErrors(estimates, endedAt);
  if (z.length < 5) return undefined;
  return Array.from({ length: 10 }, (_, i) => Math.round(z[Math.floor((0.05 + i * 0.1) * (z.length - 1))]! * 1000) / 1000);
}
