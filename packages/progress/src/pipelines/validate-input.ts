// Checks a job's input against its pipeline's schema, filling defaults; names each problem's path.
import type { TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';

export type InputCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

export function validateInput(schema: TSchema, input: unknown): InputCheck {
  const value = Value.Default(schema, Value.Clone(input ?? {}));
  if (Value.Check(schema, value)) return { ok: true, value: value as Record<string, unknown> };
  const problems = [...Value.Errors(schema, value)].slice(0, 10).map((e) => `${e.path || '/'}: ${describe(e)}`);
  return { ok: false, problems };
}

/** TypeBox says "Expected union value" for a bad enum-like union; name the allowed values instead. */
function describe(error: ValueError): string {
  const options = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf;
  if (options?.every((o) => o.const !== undefined)) {
    return `expected one of ${options.map((o) => JSON.stringify(o.const)).join(', ')}, got ${JSON.stringify(error.value)}`;
  }
  return error.message;
}
