// What the log view shows for each kind of event: log lines as they are, progress events as the
// seed's `[stage] message`, status changes as a line of their own.
import type { LogEvent, ProgressEvent, StatusEvent } from '@headway/progress';

export interface LogLine {
  id: string;
  event: LogEvent | ProgressEvent | StatusEvent;
}

export type LineLevel = 'debug' | 'info' | 'warn' | 'error' | 'success';

export interface LineText {
  level: LineLevel;
  /** Shown before the message for warn and error lines of logs. */
  levelTag?: string;
  stage?: string;
  message: string;
}

export function describeLine({ event }: LogLine): LineText {
  switch (event.kind) {
    case 'log':
      return {
        level: event.level,
        levelTag: event.level === 'warn' || event.level === 'error' ? event.level.toUpperCase() : undefined,
        stage: event.stage,
        message: event.message,
      };
    case 'progress':
      return {
        level: event.phase === 'error' ? 'error' : event.phase === 'complete' ? 'success' : 'info',
        stage: event.stage,
        message: event.message,
      };
    case 'status': {
      const level: LineLevel =
        event.status === 'failed' ? 'error'
        : event.status === 'completed' ? 'success'
        : event.status === 'retrying' || event.status === 'stalled' || event.status === 'cancelled' ? 'warn'
        : 'info';
      return { level, message: `Job ${event.status}${event.reason ? `: ${event.reason}` : ''}` };
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, `HH:MM:SS`. */
export function clockTime(ts: string): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '--:--:--' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
