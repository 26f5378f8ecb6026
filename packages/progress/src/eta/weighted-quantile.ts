// Quantiles of weighted samples: recent jobs count more than old ones, outliers count little.

export interface Weighted {
  value: number;
  weight: number;
}

export function weightedQuantile(samples: readonly Weighted[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, s) => sum + s.weight, 0);
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
}

/** Median of pairwise slopes (Theil–Sen): a scaling exponent that a few odd jobs cannot drag. */
export function medianSlope(points: readonly { x: number; y: number }[]): number | undefined {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (Math.abs(dx) > 1e-9) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  if (slopes.length === 0) return undefined;
  slopes.sort((a, b) => a - b);
  return slopes[Math.floor(slopes.length / 2)];
}
