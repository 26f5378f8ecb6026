// A job as the API lists it, and the snapshot a worker stores with `job.updateProgress`.
import { type Static, Type as t } from '@sinclair/typebox';
import { isCancelledReason } from './cancelled-reason.ts';
import { Eta, JobStatus, Phase } from './events.ts';
import { UsualBand } from './slow-stage.ts';

export const JobSnapshot = t.Object({
  percentage: t.Number({ minimum: 0, maximum: 100 }),
  stage: t.Optional(t.String()),
  phase: t.Optional(Phase),
  message: t.Optional(t.String()),
  iteration: t.Optional(t.Integer()),
  eta: t.Optional(Eta),
  /** Artifacts the current attempt has published. */
  artifacts: t.Optional(t.Integer({ minimum: 0 })),
  /** The stage runs slower than usual: its usual band. */
  slow: t.Optional(UsualBand),
});
export type JobSnapshot = Static<typeof JobSnapshot>;

export const JobSummary = t.Object({
  id: t.String(),
  name: t.String(),
  pipeline: t.String(),
  status: JobStatus,
  attempt: t.Integer({ minimum: 1 }),
  attempts: t.Integer({ minimum: 1 }),
  percentage: t.Number(),
  stage: t.Optional(t.String()),
  phase: t.Optional(Phase),
  iteration: t.Optional(t.Integer()),
  eta: t.Optional(Eta),
  /** Artifacts of the newest attempt (the job list's count). */
  artifacts: t.Optional(t.Integer({ minimum: 0 })),
  /** The active stage runs slower than usual: its usual band. */
  slow: t.Optional(UsualBand),
  createdAt: t.String(),
  startedAt: t.Optional(t.String()),
  finishedAt: t.Optional(t.String()),
  failedReason: t.Optional(t.String()),
  /** Token names of who ran, last cancelled and last retried it; only where the job is read whole (not in lists). */
  runBy: t.Optional(t.String()),
  cancelledBy: t.Optional(t.String()),
  retriedBy: t.Optional(t.String()),
});
export type JobSummary = Static<typeof JobSummary>;

/** One job with its input and, once it has finished, its result. */
export const JobDetail = t.Composite([JobSummary, t.Object({ input: t.Record(t.String(), t.Unknown()), result: t.Optional(t.Unknown()) })]);
export type JobDetail = Static<typeof JobDetail>;

/**
 * What a BullMQ job of Headway carries: the pipeline's input, an optional display name, and the
 * token names of who ran, cancelled and retried it (an API with tokens records them).
 */
export interface JobData {
  input: Record<string, unknown>;
  label?: string;
  runBy?: string;
  cancelledBy?: string;
  retriedBy?: string;
}

/**
 * BullMQ's job states as Headway statuses (v6 has no `paused`; delayed and prioritized wait). A
 * cancelled job is failed in BullMQ; its failedReason says it was cancelled.
 */
export function statusFromState(state: string, failedReason?: string | null): JobStatus {
  switch (state) {
    case 'active':
      return 'active';
    case 'completed':
      return 'completed';
    case 'failed':
      return isCancelledReason(failedReason) ? 'cancelled' : 'failed';
    default:
      return 'waiting';
  }
}
