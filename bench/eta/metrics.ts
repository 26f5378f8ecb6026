// Scores of one method over one set of replayed jobs. R = true remaining, R̂ = estimate,
// T = the job's duration; sampled at every event but the last, averaged over the jobs after `warmup`.

export interface Sample {
  t: number;
  percentage: number;
  eta?: { seconds: number; low?: number; high?: number };
  /** The event starts or ends a stage: a rise there is a stage boundary, not a jump. */
  boundary: boolean;
}

export interface JobSamples {
  duration: number;
  samples: Sample[];
}

export interface Scores {
  mae_s: number | null;
  nerr_p50: number | null;
  nerr_p90: number | null;
  band80_coverage: number | null;
  band_width: number | null;
  linearity_pts: number;
  max_jump_pts: number;
  backwards: number;
  /** Longest stretch, as a share of the job, in which events arrived but the percentage did not rise. */
  max_plateau: number;
  /** Samples reading 100 % before the job ended. */
  early_100: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
}

export function score(jobs: readonly JobSamples[], { warmup = 10, from = 0 } = {}): Scores {
  const absErrors: number[] = [];
  const normErrors: number[] = [];
  const covered: number[] = [];
  const widths: number[] = [];
  const linearity: number[] = [];
  let maxJump = 0;
  let backwards = 0;
  let maxPlateau = 0;
  let early100 = 0;
  for (const { duration: T, samples } of jobs.slice(warmup)) {
    let previous: Sample | undefined;
    let plateauStart = 0;
    for (const s of samples) {
      const R = T - s.t;
      linearity.push(Math.abs(s.percentage - (100 * s.t) / T));
      if (s.percentage >= 100 && R > 1e-9) early100++;
      if (previous) {
        const rise = s.percentage - previous.percentage;
        if (rise < -1e-9) backwards++;
        if (!s.boundary) maxJump = Math.max(maxJump, rise);
        if (rise > 1e-9) plateauStart = s.t;
      }
      maxPlateau = Math.max(maxPlateau, (s.t - plateauStart) / T);
      previous = s;
      if (s.t < from * T || !s.eta) continue;
      const error = Math.abs(s.eta.seconds - R);
      absErrors.push(error);
      normErrors.push(error / T);
      if (s.eta.low !== undefined && s.eta.high !== undefined) {
        covered.push(s.eta.low <= R + 1e-6 && R - 1e-6 <= s.eta.high ? 1 : 0);
        widths.push((s.eta.high - s.eta.low) / T);
      }
    }
  }
  return {
    mae_s: mean(absErrors),
    nerr_p50: quantile(normErrors, 0.5),
    nerr_p90: quantile(normErrors, 0.9),
    band80_coverage: mean(covered),
    band_width: mean(widths),
    linearity_pts: mean(linearity) ?? 0,
    max_jump_pts: maxJump,
    backwards,
    max_plateau: maxPlateau,
    early_100: early100,
  };
}
