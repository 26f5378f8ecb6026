// The pipeline's speed job after job. Each past job says how much faster or slower than usual it
// ran (a log ratio); the speed the next job will run at is forecast by exponential smoothing, with
// the smoothing (and a trend) chosen as the one that would have forecast the past jobs best. So a
// steady pipeline averages many jobs, a drifting one follows the recent ones, and neither needs a
// constant tuned to it. One job far off is clipped (a tail); two in a row off the same side are a
// change of regime, and the level moves to them at once.

const GAINS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1];
const TRENDS = [0, 0.05, 0.15, 0.3];
/** Beyond this many spreads a job is a tail unless the one before it was off the same side too. */
const CLIP = 2.5;

export interface LevelForecast {
  /** Forecast log speed of the next job. */
  level: number;
  /** sd of the forecast's error, from the chosen smoothing's past errors. */
  sd: number;
  /** The smoothed speed at each past job (oldest first), as the smoothing saw it then. */
  path: number[];
}

function smooth(z: readonly number[], gain: number, trendGain: number, scale: number) {
  let level = z[0]!;
  let trend = 0;
  let previousOff = 0;
  const errors: number[] = [];
  const path = [level];
  for (let t = 1; t < z.length; t++) {
    const forecast = level + trend;
    const error = z[t]! - forecast;
    errors.push(error);
    const off = Math.abs(error) > CLIP * scale ? Math.sign(error) : 0;
    let next: number;
    if (off !== 0 && off === previousOff) next = (z[t]! + z[t - 1]!) / 2;
    else next = forecast + gain * (off === 0 ? error : off * CLIP * scale);
    trend += trendGain * (next - level - trend);
    level = next;
    path.push(level);
    previousOff = off;
  }
  return { level: level + trend, errors, path };
}

/** `z`: each past job's log speed against the model, oldest first. */
export function forecastLevel(z: readonly number[], fallbackSd: number): LevelForecast {
  if (z.length === 0) return { level: 0, sd: fallbackSd, path: [] };
  const diffs = z.slice(1).map((v, i) => Math.abs(v - z[i]!));
  const scale = Math.max(1e-3, (median(diffs) ?? fallbackSd) * 1.05);
  if (z.length < 6) {
    const { level, path } = smooth(z, 0.35, 0, scale);
    return { level, sd: Math.max(fallbackSd, scale), path };
  }
  let best: { level: number; errors: number[]; path: number[]; cost: number } | undefined;
  for (const gain of GAINS) {
    for (const trendGain of TRENDS) {
      const run = smooth(z, gain, trendGain, scale);
      // Absolute errors after a short burn-in, capped so one tail job does not pick the smoothing.
      const cost = run.errors.slice(3).reduce((sum, e) => sum + Math.min(Math.abs(e), 3 * scale), 0);
      if (!best || cost < best.cost - 1e-12) best = { ...run, cost };
    }
  }
  const absErrors = best!.errors.slice(3).map(Math.abs);
  // The median absolute error of a normal is 0.674 sd.
  return { level: best!.level, sd: Math.max(0.01, (median(absErrors) ?? fallbackSd) / 0.674), path: best!.path };
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
