// What a pipeline declares about itself: stages with their weights, input options and sample input.
import { type Static, type TSchema, Type as t } from '@sinclair/typebox';

export const StageSpec = t.Object({
  name: t.String(),
  label: t.String(),
  weight: t.Number({ exclusiveMinimum: 0 }),
  /** Looping stages report `iteration`; their share is estimated from the expected count. */
  loops: t.Optional(t.Boolean()),
  expectedIterations: t.Optional(t.Integer({ minimum: 1 })),
});
export type StageSpec = Static<typeof StageSpec>;

/** The part of a pipeline the API, the web app and the CLI see (no run function). */
export const PipelineInfo = t.Object({
  name: t.String(),
  title: t.String(),
  description: t.String(),
  stages: t.Array(StageSpec),
  /** JSON Schema of the pipeline's input, so clients can build a form. */
  inputSchema: t.Unknown(),
  sampleInput: t.Record(t.String(), t.Unknown()),
  /** Set by definePipeline / commandPipeline; DEFAULT_MAX_INPUT_BYTES applies to a spec without it. */
  maxInputBytes: t.Optional(t.Integer({ minimum: 1, description: 'The largest input a job of this pipeline takes, in bytes of JSON' })),
});
export type PipelineInfo = Static<typeof PipelineInfo>;

export interface PipelineSpec<I extends TSchema = TSchema> extends Omit<PipelineInfo, 'inputSchema'> {
  inputSchema: I;
}
