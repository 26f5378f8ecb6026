// `GET /api/pipelines/:name/history`: the finished jobs a pipeline's ETA learns from (newest first,
// at most HISTORY_LENGTH), each with its stages' times and how far off its ETA was, and each
// stage's usual band. The pipeline page draws its charts and its compare view from this.
import { type Static, Type as t } from '@sinclair/typebox';
import { StageSpec } from './pipeline-spec.ts';
import { UsualBand } from './slow-stage.ts';

export const HistoryStage = t.Object({
  name: t.String(),
  /** Wall time of the stage; 0 for a skipped one. */
  seconds: t.Number({ minimum: 0 }),
  iterations: t.Optional(t.Integer({ minimum: 0 })),
});
export type HistoryStage = Static<typeof HistoryStage>;

export const HistoryJob = t.Object({
  /** Absent on records written before jobs were named in history. */
  jobId: t.Optional(t.String()),
  finishedAt: t.Optional(t.String({ format: 'date-time' })),
  /** The job's size where the pipeline states one (e.g. papers). */
  size: t.Optional(t.Number()),
  seconds: t.Number({ minimum: 0 }),
  stages: t.Array(HistoryStage),
  /** ETA shown − time really left, in seconds, at 25 % and 50 % of the job's time. */
  etaError: t.Optional(t.Object({ at25: t.Optional(t.Number()), at50: t.Optional(t.Number()) })),
});
export type HistoryJob = Static<typeof HistoryJob>;

export const PipelineHistory = t.Object({
  pipeline: t.String(),
  stages: t.Array(StageSpec),
  /** Each stage's usual seconds over these jobs (unscaled), for stages with enough of them. */
  usual: t.Array(t.Composite([t.Object({ stage: t.String() }), UsualBand])),
  jobs: t.Array(HistoryJob),
});
export type PipelineHistory = Static<typeof PipelineHistory>;
