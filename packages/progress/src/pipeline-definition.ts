// What a runnable pipeline is: its declaration plus a run function that reports through a context.
import type { Static, TSchema } from '@sinclair/typebox';
import type { PipelineSpec } from './pipeline-spec.ts';
import type { ProgressTracker } from './progress-tracker.ts';

export interface PipelineContext<I> {
  jobId: string;
  attempt: number;
  /** Validated input, with the schema's defaults filled in. */
  input: I;
  /** Aborted when the job is cancelled or the worker shuts down; long steps must honour it. */
  signal: AbortSignal;
  /** Report stage phases, stage progress, iterations and log lines here. */
  progress: ProgressTracker;
  /** A directory for this job's artifacts (charts, report), created when first asked for. */
  readonly outputDir: string;
  /** Waits `ms`, rejecting with the abort reason if the job is cancelled meanwhile. */
  sleep(ms: number): Promise<void>;
}

export interface PipelineDefinition<I extends TSchema = TSchema> {
  spec: PipelineSpec<I>;
  run(ctx: PipelineContext<Static<I>>): Promise<unknown>;
  /** The job's size for the ETA (e.g. papers in the corpus): stage times are scaled by it. */
  sizeOf?(input: Static<I>): number | undefined;
}

export function definePipeline<I extends TSchema>(definition: PipelineDefinition<I>): PipelineDefinition<I> {
  return definition;
}
