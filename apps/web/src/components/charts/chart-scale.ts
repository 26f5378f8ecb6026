// Axes for the hand-drawn SVG charts: "nice" round ticks that cover a range, and a linear map
// from data to pixels.

/** About `count` round ticks (1, 2 or 5 × a power of ten apart) from 0 or `min` up past `max`; a flat range is widened around its value. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) {
    // A flat range (one job, or all of one size) sits in the middle of its axis, not on its edge;
    // an axis of counts or durations starts no lower than 0.
    const pad = Math.max(Math.abs(min) * 0.1, 0.5);
    [min, max] = [min >= 0 ? Math.max(0, min - pad) : min - pad, max + pad];
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < max + step - step * 1e-9; v += step) ticks.push(round(v, step));
  return ticks;
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Rounds away the float dust a sum of steps collects (0.30000000000000004). */
function round(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(digits));
}
