// The pipelines this deployment knows by name.
import type { PipelineSpec } from './pipeline-spec.ts';
import { literatureReview } from './pipelines/literature-review.ts';

export const pipelines: readonly PipelineSpec[] = [literatureReview];

export function findPipeline(name: string): PipelineSpec | undefined {
  return pipelines.find((p) => p.name === name);
}
