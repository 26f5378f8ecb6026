// Human wording of durations and ETAs, shared by the web app and the terminal client.
import type { Eta, EtaBasis, JobEvent } from './events.ts';
import { artifactMessage } from './log-text.ts';

export { formatBytes } from './format-bytes.ts';

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

/** "0.4 s", "4.2 s", "12 s", "3 min 5 s": tenths of a second while they still matter. */
export function formatPreciseDuration(seconds: number): string {
  if (seconds < 0.1) return '< 0.1 s';
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  return formatDuration(seconds);
}

/** The sentence that names what an estimate rests on, for its tooltip and screen readers. */
export function describeEtaBasis(basis: EtaBasis | undefined): string {
  switch (basis) {
    case 'history':
      return "Estimated from earlier runs of this pipeline, adjusted to this job's pace";
    case 'rate':
      return "Estimated from this job's own pace so far";
    default:
      return 'Not enough progress yet to estimate';
  }
}

/** The short label after the estimate ("from history"); empty while there is none. */
export function etaBasisLabel(basis: EtaBasis | undefined): string {
  return basis === 'history' ? 'from history' : basis === 'rate' ? "from this job's pace" : '';
}

/** An event as one plain log line, the way Bull Board's Logs tab shows it. */
export function logLineOf(event: JobEvent): string {
  switch (event.kind) {
    case 'log':
      return `${event.level.toUpperCase()} ${event.stage ? `[${event.stage}] ` : ''}${event.message}`;
    case 'progress':
      return `[${event.stage}] ${event.message}`;
    case 'status':
      return `STATUS ${event.status}${event.reason ? `: ${event.reason}` : ''} (attempt ${event.attempt})`;
    case 'artifact':
      return `ARTIFACT ${event.stage ? `[${event.stage}] ` : ''}${artifactMessage(event)}`;
  }
}
