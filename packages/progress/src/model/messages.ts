// Messages of the WebSocket `/ws/jobs/:id/progress`, with the seed's names. Every server message
// is one JSON object with a `type`. Close codes (close-codes.ts) follow an `error` message.
import { type Static, Type as t } from '@sinclair/typebox';
import { ErrorCode } from './errors.ts';
import { ArtifactEvent, JobStatus, LogEvent, ProgressEvent, StatusEvent, type StreamEntry } from './events.ts';
import { isTerminal } from './job-state.ts';
import { JobSummary } from './job-summary.ts';
import { PipelineInfo } from './pipeline-spec.ts';

/** First message: the job as it is now, its pipeline's stages, and the newest cursor. */
export const InitialStatusMessage = t.Object({
  type: t.Literal('initial_status'),
  job: JobSummary,
  pipeline: PipelineInfo,
  cursor: t.String(),
});
/** A progress, status or artifact event. */
export const ProgressMessage = t.Object({
  type: t.Literal('progress'),
  id: t.String(),
  event: t.Union([ProgressEvent, StatusEvent, ArtifactEvent]),
});
/** Log events, batched, in order. */
export const LogsMessage = t.Object({
  type: t.Literal('logs'),
  lines: t.Array(t.Object({ id: t.String(), event: LogEvent })),
});
/**
 * The events after the viewer's cursor are no longer all retained (trimmed by the stream's cap, or
 * expired): here is the job as it is now. What is still retained follows, and the fold's
 * `missing` count says how many events the viewer never saw.
 */
export const ResetMessage = t.Object({ type: t.Literal('reset'), job: JobSummary, reason: t.String() });
/** Sent after the event that ended the job (and after replaying a finished job's history). */
export const JobCompleteMessage = t.Object({ type: t.Literal('job_complete'), status: JobStatus });
export const ErrorMessage = t.Object({ type: t.Literal('error'), code: ErrorCode, message: t.String() });

export const ServerMessage = t.Union([InitialStatusMessage, ProgressMessage, LogsMessage, ResetMessage, JobCompleteMessage, ErrorMessage]);
export type ServerMessage = Static<typeof ServerMessage>;
export type InitialStatusMessage = Static<typeof InitialStatusMessage>;
export type ProgressMessage = Static<typeof ProgressMessage>;
export type LogsMessage = Static<typeof LogsMessage>;
export type ResetMessage = Static<typeof ResetMessage>;

/**
 * The messages that carry these entries, in order: consecutive log lines batched into one
 * `logs` message, other events one `progress` message each, and `job_complete` after an
 * event that ends the job.
 */
export function messagesFor(entries: readonly StreamEntry[]): ServerMessage[] {
  const out: ServerMessage[] = [];
  let logs: Static<typeof LogsMessage>['lines'] | undefined;
  for (const { id, event } of entries) {
    if (event.kind === 'log') {
      if (!logs) out.push({ type: 'logs', lines: (logs = []) });
      logs.push({ id, event });
      continue;
    }
    logs = undefined;
    out.push({ type: 'progress', id, event });
    if (event.kind === 'status' && isTerminal(event.status)) out.push({ type: 'job_complete', status: event.status });
  }
  return out;
}
