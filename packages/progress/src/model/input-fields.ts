// A pipeline's input options (the dashboard's Run form, `headway pipelines`), read from a pipeline's input JSON Schema (TypeBox emits plain JSON
// Schema): a choice for an `enum` or a union of string constants, a number box for an integer or
// number with its bounds, a checkbox for a boolean, a text box for a string or a list of strings.
// Anything else (a nested object such as a corpus) keeps the sample input's value.
import type { PipelineInfo } from './pipeline-spec.ts';

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
  title?: string;
  items?: SchemaNode;
}

export type InputField =
  | { kind: 'choice'; options: string[]; initial: string }
  | { kind: 'integer' | 'number'; min?: number; max?: number; initial?: number }
  | { kind: 'boolean'; initial: boolean }
  | { kind: 'text'; maxLength?: number; initial: string }
  | { kind: 'list'; initial: string };

export type NamedInputField = InputField & { name: string; label: string; description?: string };

/** "maxIterations" → "Max iterations", "run_mode" → "Run mode". */
export function labelOf(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldOf(node: SchemaNode, initial: unknown): InputField | undefined {
  const constants = node.enum ?? (node.anyOf ?? node.oneOf)?.map((n) => n.const);
  if (constants) {
    const options = constants.filter((v): v is string => typeof v === 'string');
    if (options.length === 0 || options.length !== constants.length) return undefined;
    const chosen = [initial, node.default].find((v): v is string => typeof v === 'string' && options.includes(v));
    return { kind: 'choice', options, initial: chosen ?? options[0]! };
  }
  switch (node.type) {
    case 'integer':
    case 'number': {
      const value = [initial, node.default].find((v): v is number => typeof v === 'number');
      return { kind: node.type, min: node.minimum, max: node.maximum, initial: value };
    }
    case 'boolean':
      return { kind: 'boolean', initial: [initial, node.default].find((v) => typeof v === 'boolean') === true };
    case 'string':
      return { kind: 'text', maxLength: node.maxLength, initial: String([initial, node.default].find((v) => typeof v === 'string') ?? '') };
    case 'array': {
      if (node.items?.type !== 'string') return undefined;
      const value = [initial, node.default].find((v): v is unknown[] => Array.isArray(v)) ?? [];
      return { kind: 'list', initial: value.join(', ') };
    }
    default:
      return undefined;
  }
}

export function inputFieldsOf(pipeline: PipelineInfo): NamedInputField[] {
  const schema = pipeline.inputSchema as { properties?: Record<string, SchemaNode> } | undefined;
  return Object.entries(schema?.properties ?? {}).flatMap(([name, node]) => {
    const field = fieldOf(node, pipeline.sampleInput[name]);
    return field ? [{ ...field, name, label: node.title ?? labelOf(name), description: node.description }] : [];
  });
}

/** The input a form sends: the sample input, with each field's value read back into its type. */
export function inputFrom(pipeline: PipelineInfo, fields: readonly NamedInputField[], values: Record<string, string | boolean>) {
  const input: Record<string, unknown> = { ...pipeline.sampleInput };
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) continue;
    if (field.kind === 'boolean') input[field.name] = value === true;
    else if (field.kind === 'integer' || field.kind === 'number') {
      if (value !== '') input[field.name] = Number(value);
    } else if (field.kind === 'list') {
      input[field.name] = String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    } else input[field.name] = value;
  }
  return input;
}
