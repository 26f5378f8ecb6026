// The text of each line the terminal client prints: log lines, stage changes, the status line
// redrawn on a terminal, and the summary at the end. Pure functions of the fold and the events.
import type { JobStatus, JobView, LogEvent, LogLevel, StageSpec, UsualBand } from '@headway/progress/client';
import { formatDuration, formatEta, slowerThanUsual } from '@headway/progress/client';
import { stripControls } from './strip-controls.ts';

export type Colour = 'dim' | 'bold' | 'red' | 'yellow' | 'green' | 'cyan';

const SGR: Record<Colour, [on: number, off: number]> = {
  dim: [2, 22],
  bold: [1, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
};

/** Wraps text in a colour when colour is on; otherwise leaves it as it is. */
export const paint =
  (color: boolean) =>
  (colour: Colour, text: string): string =>
    color ? `\x1b[${SGR[colour][0]}m${text}\x1b[${SGR[colour][1]}m` : text;

const LEVEL_COLOUR: Record<LogLevel, Colour | undefined> = { debug: 'dim', info: undefined, warn: 'yellow', error: 'red' };
/** "HH:MM:SS LEVEL ": where a log message starts, and where its continuation lines are indented to. */
const MESSAGE_COLUMN = 15;

/** Local wall-clock time of an event, `HH:MM:SS`. */
export function clock(ts: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Text from a job (reasons, stage names) on one line, with nothing that could move the cursor. */
export const oneLine = (text: string): string =>
  stripControls(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** Whole percent, and 100 only once the job has completed, so "100 %" always means done. */
export function percent(view: Pick<JobView, 'percentage' | 'status'>): string {
  const value = view.status === 'completed' ? 100 : Math.min(99, Math.floor(view.percentage));
  return `${value} %`;
}

/** `HH:MM:SS LEVEL [stage] message`; a message of several lines continues under its first. */
export function logLine(event: LogEvent, color: boolean): string {
  const p = paint(color);
  const colour = LEVEL_COLOUR[event.level];
  const level = event.level.toUpperCase().padEnd(5);
  const stage = event.stage ? `${p('dim', `[${oneLine(event.stage)}]`)} ` : '';
  const message = stripControls(event.message, { keepColor: color })
    .replace(/\n+$/, '')
    .replaceAll('\n', `\n${' '.repeat(MESSAGE_COLUMN)}`);
  return `${p('dim', clock(event.ts))} ${colour ? p(colour, level) : level} ${stage}${message}`;
}

export type StageChange =
  | { kind: 'started' | 'skipped' }
  | { kind: 'failed'; message: string }
  | { kind: 'iteration'; iteration: number }
  | { kind: 'slow'; band: UsualBand };

/** `HH:MM:SS ── judge · Judge validation (2/6) · 5 %`, and the like for a skip, failure or iteration. */
export function stageLine(
  ts: string,
  stage: string,
  stages: readonly StageSpec[],
  view: JobView,
  change: StageChange,
  color: boolean,
): string {
  const p = paint(color);
  const index = stages.findIndex((s) => s.name === stage);
  const spec = stages[index];
  const name = oneLine(stage);
  const title = spec ? `${name} · ${spec.label} (${index + 1}/${stages.length})` : name;
  const time = p('dim', clock(ts));
  switch (change.kind) {
    case 'started':
      return `${time} ${p('cyan', '──')} ${p('bold', title)} · ${percent(view)}`;
    case 'skipped':
      return `${time} ${p('dim', `── ${title} skipped`)}`;
    case 'failed':
      return `${time} ${p('red', '──')} ${p('bold', title)} ${p('red', 'failed')}: ${oneLine(change.message)}`;
    case 'iteration':
      return `${time}    ${name} iteration ${change.iteration} · ${percent(view)}`;
    case 'slow':
      return `${time}    ${name} ${p('yellow', slowerThanUsual(change.band))}`;
  }
}

/** The line under the log on a terminal: bar, percentage, stage, iteration, ETA, at most `width` wide. */
export function statusLine(
  view: JobView | undefined,
  stages: readonly StageSpec[],
  { width, color, reconnecting = false }: { width: number; color: boolean; reconnecting?: boolean },
): string {
  const p = paint(color);
  const room = Math.max(10, width - 1);
  const barWidth = Math.max(10, Math.min(30, Math.floor(room / 4)));
  const filled = view ? Math.round(((view.status === 'completed' ? 100 : view.percentage) / 100) * barWidth) : 0;
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const parts: string[] = [];
  if (view) {
    const index = stages.findIndex((s) => s.name === view.stage);
    const stage = view.stages.find((s) => s.name === view.stage);
    if (view.status === 'waiting') parts.push('waiting for a worker');
    else if (view.status === 'retrying' || view.status === 'stalled') parts.push(view.status);
    if (view.stage) parts.push(`${stages[index]?.label ?? oneLine(view.stage)}${index >= 0 ? ` (${index + 1}/${stages.length})` : ''}`);
    if (stage?.iteration !== undefined && view.status !== 'completed') parts.push(`iteration ${stage.iteration}`);
    if (view.status === 'active') parts.push(formatEta(view.eta));
  } else {
    parts.push('connecting…');
  }
  if (reconnecting) parts.push('reconnecting…');
  const text = truncate(`${view ? percent(view).padStart(5) : '    …'}  ${parts.join(' · ')}`, room - barWidth - 1);
  const colour: Colour = view?.status === 'completed' ? 'green' : view && isFailure(view.status) ? 'red' : 'cyan';
  return `${p(colour, bar)} ${text}`;
}

/** `✔ job 42 completed · 100 % in 12 s`, or `✘ job 42 failed at 37 % in judge after 3 s: why`. */
export function summaryLine(
  jobId: string,
  view: Pick<JobView, 'status' | 'percentage' | 'stage' | 'reason'>,
  seconds: number | undefined,
  color: boolean,
): string {
  const p = paint(color);
  const took = (word: string) => (seconds === undefined ? '' : ` ${word} ${formatDuration(seconds)}`);
  if (view.status === 'completed') return `${p('green', '✔')} job ${jobId} ${p('green', 'completed')} · 100 %${took('in')}`;
  const where = view.stage ? ` in ${oneLine(view.stage)}` : '';
  const why = view.reason ? `: ${oneLine(view.reason)}` : '';
  return `${p('red', '✘')} job ${jobId} ${p('red', view.status)} at ${percent(view)}${where}${took('after')}${why}`;
}

export const missingLine = (count: number): string => `⚠ ${count} ${count === 1 ? 'event' : 'events'} could not be replayed`;

const isFailure = (status: JobStatus): boolean => status === 'failed' || status === 'cancelled';

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
