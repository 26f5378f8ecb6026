// The pipelines this worker can run, by name.
import type { PipelineDefinition } from '@headway/progress';
import { literatureReviewPipeline } from './literature-review/index.ts';

export const pipelineDefinitions: ReadonlyMap<string, PipelineDefinition> = new Map(
  [literatureReviewPipeline as unknown as PipelineDefinition].map((p) => [p.spec.name, p]),
);
