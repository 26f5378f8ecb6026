// What the log shows for each kind of event (log lines as they are, progress events as the seed's
// `[stage] message`, status changes as a line of their own), its time, and where search matches
// fall in its coloured segments.
import { eventLevel, eventMessage } from '@headway/progress/client';
import type { AnsiSegment } from '../../ansi.ts';
import type { LogLine } from '../log-view/log-model.ts';

/** How a line is coloured: its level, or `success` for a stage or job that completed. */
export type LineTone = 'debug' | 'info' | 'warn' | 'error' | 'success';

export interface LineText {
  tone: LineTone;
  /** Shown before the message for warn and error lines. */
  levelTag?: string;
  stage?: string;
  message: string;
}

export function describeLine({ event }: LogLine): LineText {
  const level = eventLevel(event);
  const success = (event.kind === 'progress' && event.phase === 'complete') || (event.kind === 'status' && event.status === 'completed');
  return {
    tone: success ? 'success' : level,
    levelTag: event.kind === 'log' && (level === 'warn' || level === 'error') ? level.toUpperCase() : undefined,
    stage: event.kind === 'status' ? undefined : event.stage,
    message: eventMessage(event),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time, `HH:MM:SS`. */
export function clockTime(ts: string): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '--:--:--' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Time since `origin`: `+M:SS.s`, or `+H:MM:SS` past an hour. */
export function relativeTime(ts: string, origin: string): string {
  const ms = Date.parse(ts) - Date.parse(origin);
  if (!Number.isFinite(ms)) return '+?';
  const sign = ms < 0 ? '-' : '+';
  const tenths = Math.floor(Math.abs(ms) / 100);
  const s = Math.floor(tenths / 10);
  if (s >= 3600) return `${sign}${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return `${sign}${Math.floor(s / 60)}:${pad(s % 60)}.${tenths % 10}`;
}

export interface MarkedSegment extends AnsiSegment {
  mark: boolean;
}

/** Splits segments where the `[start, end)` ranges (over their joined text) begin and end. */
export function markRanges(segments: AnsiSegment[], ranges: Array<[number, number]>): MarkedSegment[] {
  if (ranges.length === 0) return segments.map((s) => ({ ...s, mark: false }));
  const out: MarkedSegment[] = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    let at = offset;
    while (at < end) {
      while (r < ranges.length && ranges[r]![1] <= at) r++;
      const range = ranges[r];
      const inside = !!range && range[0] <= at;
      const stop = Math.min(end, range ? (inside ? range[1] : range[0]) : end);
      out.push({ ...segment, text: segment.text.slice(at - offset, stop - offset), mark: inside });
      at = stop;
    }
    offset = end;
  }
  return out;
}
