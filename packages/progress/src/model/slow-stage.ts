// "Slower than usual": a stage that runs past the top of its usual 80 % band (size-scaled, from
// the pipeline's history; eta/stage-band.ts) says so while it runs, with that band.
import { type Static, Type as t } from '@sinclair/typebox';
import { formatDuration } from './format.ts';

/** The seconds a stage usually takes for a job of this size: 10th to 90th percentile. */
export const UsualBand = t.Object({
  low: t.Number({ minimum: 0 }),
  high: t.Number({ minimum: 0 }),
});
export type UsualBand = Static<typeof UsualBand>;

/** "20–35 s", "2 min – 3 min 30 s". */
export function formatUsualBand({ low, high }: UsualBand): string {
  const [a, b] = [Math.round(low), Math.max(Math.round(low), Math.round(high))];
  return b < 60 ? `${a}–${b} s` : `${formatDuration(a)} – ${formatDuration(b)}`;
}

/** "slower than usual (usually 20–35 s)". */
export const slowerThanUsual = (band: UsualBand): string => `slower than usual (usually ${formatUsualBand(band)})`;
