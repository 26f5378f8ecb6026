// Robust statistics of weighted samples (recent jobs count more than old ones, outliers count
// little), and the normal distribution's cdf and quantile for log-normal stage times.

export interface Weighted {
  value: number;
  weight: number;
}

export function weightedQuantile(samples: readonly Weighted[], q: number): number {
  return weightedQuantiles(samples, [q])[0]!;
}

/** Several quantiles (ascending `qs`) with one sort. */
export function weightedQuantiles(samples: readonly Weighted[], qs: readonly number[]): number[] {
  if (samples.length === 0) return qs.map(() => Number.NaN);
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, s) => sum + s.weight, 0);
  return qs.map((q) => {
    // Midpoint rule: each sample owns the centre of its weight's span, interpolating between them.
    let below = 0;
    let previous = sorted[0]!;
    let previousAt = previous.weight / 2 / total;
    if (q <= previousAt) return previous.value;
    for (const sample of sorted) {
      const at = (below + sample.weight / 2) / total;
      if (q <= at) {
        const t = at === previousAt ? 1 : (q - previousAt) / (at - previousAt);
        return previous.value + t * (sample.value - previous.value);
      }
      below += sample.weight;
      previous = sample;
      previousAt = at;
    }
    return sorted.at(-1)!.value;
  });
}

export function weightedMean(samples: readonly Weighted[]): number {
  const total = samples.reduce((sum, s) => sum + s.weight, 0);
  return samples.reduce((sum, s) => sum + s.value * s.weight, 0) / total;
}

/** z of the 10th/90th percentile: an 80 % band. */
export const Z80 = 1.2816;

/**
 * A standard deviation read from the 10th–90th percentile span, so a tail of rare huge values
 * does not widen it (as it would a plain sd); `fallback` with fewer than three samples.
 */
export function robustSd(samples: readonly Weighted[], fallback: number): number {
  if (samples.length < 3) return fallback;
  const [p10, p90] = weightedQuantiles(samples, [0.1, 0.9]);
  return (p90! - p10!) / (2 * Z80);
}

/** Standard normal cdf (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const tail = (r: number) =>
    (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const r = q - 0.5;
  const s = r * r;
  return (
    ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) /
    (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1)
  );
}
