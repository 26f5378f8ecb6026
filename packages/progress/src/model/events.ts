// The one event model of a job: what workers write to the job's stream and every reader gets back.
import { type Static, Type as t } from '@sinclair/typebox';
import { UsualBand } from './slow-stage.ts';

export const MAX_MESSAGE_LENGTH = 8192;

export const Phase = t.Union([
  t.Literal('starting'),
  t.Literal('running'),
  t.Literal('complete'),
  t.Literal('error'),
  t.Literal('skipped'),
]);
export type Phase = Static<typeof Phase>;

export const LogLevel = t.Union([t.Literal('debug'), t.Literal('info'), t.Literal('warn'), t.Literal('error')]);
export type LogLevel = Static<typeof LogLevel>;

export const JobStatus = t.Union([
  t.Literal('waiting'),
  t.Literal('active'),
  t.Literal('completed'),
  t.Literal('failed'),
  t.Literal('cancelled'),
  t.Literal('retrying'),
  t.Literal('stalled'),
]);
export type JobStatus = Static<typeof JobStatus>;

export const EtaBasis = t.Union([t.Literal('history'), t.Literal('rate'), t.Literal('none')]);
export type EtaBasis = Static<typeof EtaBasis>;

/** Seconds left, with an 80 % band `low..high` and what the estimate rests on. */
export const Eta = t.Object({
  seconds: t.Number({ minimum: 0 }),
  low: t.Number({ minimum: 0 }),
  high: t.Number({ minimum: 0 }),
  basis: EtaBasis,
});
export type Eta = Static<typeof Eta>;

const common = {
  jobId: t.String({ minLength: 1, maxLength: 128 }),
  attempt: t.Integer({ minimum: 1 }),
  ts: t.String({ format: 'date-time' }),
  /** 1, 2, 3, … per job across attempts, assigned atomically when the event is written. */
  seq: t.Integer({ minimum: 1 }),
};

export const ProgressEvent = t.Object({
  kind: t.Literal('progress'),
  ...common,
  stage: t.String({ maxLength: 64 }),
  phase: Phase,
  message: t.String({ maxLength: MAX_MESSAGE_LENGTH }),
  percentage: t.Number({ minimum: 0, maximum: 100 }),
  stageProgress: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
  iteration: t.Optional(t.Integer({ minimum: 1 })),
  eta: t.Optional(Eta),
  metadata: t.Optional(t.Record(t.String(), t.Unknown())),
  /** Set on every event of a stage while it runs past the top of its usual band (slow-stage.ts). */
  slow: t.Optional(UsualBand),
});
export type ProgressEvent = Static<typeof ProgressEvent>;

export const LogEvent = t.Object({
  kind: t.Literal('log'),
  ...common,
  level: LogLevel,
  stage: t.Optional(t.String({ maxLength: 64 })),
  message: t.String({ maxLength: MAX_MESSAGE_LENGTH }),
});
export type LogEvent = Static<typeof LogEvent>;

export const StatusEvent = t.Object({
  kind: t.Literal('status'),
  ...common,
  status: JobStatus,
  reason: t.Optional(t.String({ maxLength: MAX_MESSAGE_LENGTH })),
});
export type StatusEvent = Static<typeof StatusEvent>;

/**
 * A file the run made, stored in the artifact store (artifact-store.ts) before this event is
 * written: a listed artifact is always whole. A retry's artifacts sit beside the first attempt's.
 */
export const ArtifactEvent = t.Object({
  kind: t.Literal('artifact'),
  ...common,
  /** The stage open when it was published, if any. */
  stage: t.Optional(t.String({ maxLength: 64 })),
  /** A relative, `/`-separated path (artifact-name.ts). */
  name: t.String({ minLength: 1, maxLength: 200 }),
  size: t.Integer({ minimum: 0 }),
  contentType: t.String({ minLength: 1, maxLength: 200 }),
  sha256: t.String({ pattern: '^[0-9a-f]{64}$' }),
  title: t.Optional(t.String({ maxLength: 200 })),
});
export type ArtifactEvent = Static<typeof ArtifactEvent>;

export const JobEvent = t.Union([ProgressEvent, LogEvent, StatusEvent, ArtifactEvent]);
export type JobEvent = Static<typeof JobEvent>;

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** An event before it is written: its `seq` comes from the stream. */
export type NewJobEvent = WithoutSeq<JobEvent>;

/** A status event written from outside the job's own run (a stall seen by another worker, say). */
export function statusEvent(jobId: string, attempt: number, status: JobStatus, reason?: string): NewJobEvent {
  return { kind: 'status', jobId, attempt, ts: new Date().toISOString(), status, ...(reason && { reason }) };
}

/** One stream entry: the entry id is the event's cursor. */
export const StreamEntry = t.Object({ id: t.String(), event: JobEvent });
export type StreamEntry = Static<typeof StreamEntry>;
