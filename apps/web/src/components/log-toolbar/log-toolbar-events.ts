// What the log toolbar asks of the log view: each a small event that bubbles out of shadow roots.
import type { LogFilter, LogFormat } from '@headway/progress/client';

const init = { bubbles: true, composed: true } as const;

/** `hw-log-filter`: show the lines that pass `detail` (level, stage, iteration, q). */
export class LogFilterEvent extends Event {
  static readonly type = 'hw-log-filter';
  constructor(readonly detail: LogFilter) {
    super(LogFilterEvent.type, init);
  }
}

/** `hw-log-step`: go to the next (`1`) or previous (`-1`) search match. */
export class LogStepEvent extends Event {
  static readonly type = 'hw-log-step';
  constructor(readonly detail: { direction: 1 | -1 }) {
    super(LogStepEvent.type, init);
  }
}

/** `hw-log-follow`: jump to the end and follow new lines (`follow`), or stop following. */
export class LogFollowEvent extends Event {
  static readonly type = 'hw-log-follow';
  constructor(readonly detail: { follow: boolean }) {
    super(LogFollowEvent.type, init);
  }
}

/** `hw-log-times`: show times since the first line (`relative`) or times of day. */
export class LogTimesEvent extends Event {
  static readonly type = 'hw-log-times';
  constructor(readonly detail: { relative: boolean }) {
    super(LogTimesEvent.type, init);
  }
}

/** `hw-log-download`: save the lines shown, in this format. */
export class LogDownloadEvent extends Event {
  static readonly type = 'hw-log-download';
  constructor(readonly detail: { format: LogFormat }) {
    super(LogDownloadEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'hw-log-filter': LogFilterEvent;
    'hw-log-step': LogStepEvent;
    'hw-log-follow': LogFollowEvent;
    'hw-log-times': LogTimesEvent;
    'hw-log-download': LogDownloadEvent;
  }
}
