// Human wording of durations and ETAs, shared by the web app and the terminal client.
import type { Eta } from './events.ts';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m} min` : `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "about 3 min left (2 min – 5 min)", or "estimating…" when there is no estimate yet. */
export function formatEta(eta: Eta | undefined): string {
  if (!eta || eta.basis === 'none') return 'estimating…';
  return `about ${formatDuration(eta.seconds)} left (${formatDuration(eta.low)} – ${formatDuration(eta.high)})`;
}
