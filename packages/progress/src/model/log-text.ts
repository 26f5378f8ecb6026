// What a line of a job's log says, as plain text: the one reading that search, filters and
// downloads share on the server and in the browser. No DOM, no Node: the web app imports it.
import type { ArtifactEvent, JobEvent, LogLevel, StreamEntry } from './events.ts';
import { formatBytes } from './format-bytes.ts';

/** CSI sequences, OSC strings (ended by BEL or ST), DCS/SOS/PM/APC strings, other ESC pairs, 8-bit CSI. */
const ESCAPES = String.raw`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]`;
/**
 * C0 controls but tab and line feed, DEL, C1 controls, and the bidi controls (ALM, LRM, RLM,
 * LRE…RLO, LRI…PDI) that would make a line display in another order than it reads.
 */
const CONTROLS = String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]`;
const UNSAFE = new RegExp(`${ESCAPES}|${CONTROLS}`, 'g');
const ANY_CONTROL = new RegExp(CONTROLS);
const SGR = /^\x1b\[[0-9;:]*m$/;

/**
 * The text with only what prints, in the order it reads: tabs and line feeds stay; with `keepColor`, colour sequences
 * (SGR, `ESC [ … m`) stay too. Text without a control character comes back as the same string.
 */
export function plainText(text: string, { keepColor = false } = {}): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(UNSAFE, (match) => (keepColor && SGR.test(match) ? match : ''));
}

/** The message a line shows, before any colour: what search looks in. */
export function eventMessage(event: JobEvent): string {
  switch (event.kind) {
    case 'log':
    case 'progress':
      return event.message;
    case 'status':
      return `Job ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    case 'artifact':
      return artifactMessage(event);
  }
}

/** How a published artifact reads as a log line: `Artifact report.md "Report" (12.3 KB, text/markdown)`. */
export function artifactMessage({ name, title, size, contentType }: ArtifactEvent): string {
  return `Artifact ${name}${title ? ` "${title}"` : ''} (${formatBytes(size)}, ${contentType})`;
}

/** A line's level: a log's own; a progress error or a failed job `error`; a retry, stall or cancel `warn`. */
export function eventLevel(event: JobEvent): LogLevel {
  switch (event.kind) {
    case 'log':
      return event.level;
    case 'progress':
      return event.phase === 'error' ? 'error' : 'info';
    case 'status':
      return event.status === 'failed'
        ? 'error'
        : event.status === 'retrying' || event.status === 'stalled' || event.status === 'cancelled'
          ? 'warn'
          : 'info';
    case 'artifact':
      return 'info';
  }
}

/** A line's stage, when it belongs to one. */
export const eventStage = (event: JobEvent): string | undefined => (event.kind === 'status' ? undefined : event.stage);

/** One line of a `.txt` download: `<ISO time> [stage] LEVEL message`, without colour codes. */
export function textLine({ event }: StreamEntry): string {
  const level = eventLevel(event);
  const stage = eventStage(event);
  const tag = level === 'warn' || level === 'error' ? `${level.toUpperCase()} ` : '';
  return `${event.ts} ${stage ? `[${stage}] ` : ''}${tag}${plainText(eventMessage(event))}`;
}

/** One line of an `.ndjson` download: the stream entry as it was written. */
export const ndjsonLine = (entry: StreamEntry): string => JSON.stringify(entry);

export type LogFormat = 'txt' | 'ndjson';

export const formatLine = (format: LogFormat, entry: StreamEntry): string => (format === 'txt' ? textLine(entry) : ndjsonLine(entry));
