// Where each stage of a finished job sits on its timeline: offset and width as percentages of
// the job's whole span, so the element only has to draw them.
import type { StageView } from '@headway/progress/client';
import { formatPreciseDuration } from '@headway/progress/client';

export interface TimelineSegment {
  stage: StageView;
  /** Seconds the stage ran; undefined when it has no times (skipped, or never reached). */
  seconds?: number;
  /** Percent of the span before the stage started. */
  offset: number;
  /** Percent of the span the stage took; 0 without times. */
  width: number;
  /** It started but never ended (the job stopped under it); drawn to the span's end. */
  interrupted: boolean;
}

export interface TimelineLayout {
  /** Seconds from the span's start to its end. */
  totalSeconds: number;
  /** Every stage, in the pipeline's order. */
  segments: TimelineSegment[];
}

const time = (iso: string | undefined): number | undefined => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

/**
 * Lays the stages out over the span from the earliest start to the latest end among the job's
 * own times (when given) and its stages'.
 */
export function timelineLayout(stages: readonly StageView[], jobStartedAt?: string, jobEndedAt?: string): TimelineLayout {
  const times = stages.map((stage) => ({
    start: stage.state === 'skipped' ? undefined : time(stage.startedAt),
    end: time(stage.endedAt),
  }));
  const starts = [time(jobStartedAt), ...times.map((t) => t.start)].filter((t) => t !== undefined);
  const ends = [time(jobEndedAt), ...times.flatMap((t) => (t.start === undefined ? [] : [t.end ?? t.start]))].filter(
    (t) => t !== undefined,
  );
  if (starts.length === 0) return { totalSeconds: 0, segments: stages.map((stage) => empty(stage)) };
  const from = Math.min(...starts);
  const to = Math.max(from, ...ends);
  const span = to - from;
  const pct = (ms: number) => (span > 0 ? (ms / span) * 100 : 0);
  const segments = stages.map((stage, i): TimelineSegment => {
    const { start, end } = times[i] ?? {};
    if (start === undefined) return empty(stage);
    const stop = Math.max(start, end ?? to);
    return {
      stage,
      seconds: (stop - start) / 1000,
      offset: pct(start - from),
      width: pct(stop - start),
      interrupted: end === undefined,
    };
  });
  return { totalSeconds: span / 1000, segments };
}

function empty(stage: StageView): TimelineSegment {
  return { stage, offset: 0, width: 0, interrupted: false };
}

/** What a segment's legend entry and tooltip say after the label: "4.2 s", "skipped", … */
export function segmentSummary({ stage, seconds, interrupted }: TimelineSegment): string {
  if (stage.state === 'skipped') return 'skipped';
  if (seconds === undefined) return 'not run';
  const duration = formatPreciseDuration(seconds);
  if (stage.state === 'error') return `${duration} (failed)`;
  if (interrupted) return `${duration} (interrupted)`;
  return duration;
}

/** "Stage timeline: Initialization 1.6 s, Judge validation 4.4 s, … Total 12 s." */
export function timelineAccessibleName({ segments, totalSeconds }: TimelineLayout): string {
  const parts = segments.map((segment) => `${segment.stage.label} ${segmentSummary(segment)}`);
  return `Stage timeline: ${parts.join(', ')}. Total ${formatPreciseDuration(totalSeconds)}.`;
}
