// Reads the run-mode choices out of a pipeline's input JSON Schema: an `enum`, or a union of
// string constants (TypeBox's `t.Union([t.Literal(…)])` becomes `anyOf: [{ const }]`).
import type { PipelineInfo } from '@headway/progress';

export interface RunModes {
  options: string[];
  initial: string;
}

type SchemaNode = { enum?: unknown[]; anyOf?: SchemaNode[]; oneOf?: SchemaNode[]; const?: unknown; default?: unknown };

export function runModesOf(pipeline: PipelineInfo): RunModes | undefined {
  const schema = pipeline.inputSchema as { properties?: Record<string, SchemaNode> } | undefined;
  const node = schema?.properties?.runMode;
  if (!node) return undefined;
  const values = node.enum ?? (node.anyOf ?? node.oneOf ?? []).map((n) => n.const);
  const options = values.filter((v): v is string => typeof v === 'string');
  if (options.length === 0) return undefined;
  const preferred = [pipeline.sampleInput.runMode, node.default].find(
    (v): v is string => typeof v === 'string' && options.includes(v),
  );
  return { options, initial: preferred ?? options[0]! };
}
