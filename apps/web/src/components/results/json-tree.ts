// A JSON value as a tree a preview can draw with <details>, bounded in depth and in nodes so a
// deep or huge document costs a fixed amount of DOM.

export interface JsonLimits {
  maxDepth: number;
  maxNodes: number;
}

export const JSON_LIMITS: JsonLimits = { maxDepth: 12, maxNodes: 2_000 };

export type JsonNode =
  | { kind: 'value'; key?: string; text: string; type: 'string' | 'number' | 'boolean' | 'null' }
  | {
      kind: 'object' | 'array';
      key?: string;
      /** How many entries the value has, shown even when they are not. */
      size: number;
      children: JsonNode[];
      /** Entries left out for the bounds (deeper than `maxDepth`, or past `maxNodes`). */
      omitted: number;
    };

/** The tree of `value`, with at most `limits.maxNodes` nodes and `limits.maxDepth` levels. */
export function jsonTree(value: unknown, limits: JsonLimits = JSON_LIMITS): JsonNode {
  let budget = limits.maxNodes;
  const build = (v: unknown, depth: number, key?: string): JsonNode => {
    budget--;
    const k = key === undefined ? {} : { key };
    if (v === null || typeof v !== 'object') {
      const type = v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'boolean';
      return { kind: 'value', ...k, type, text: type === 'string' ? JSON.stringify(v) : String(v) };
    }
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    const children: JsonNode[] = [];
    if (depth < limits.maxDepth) {
      for (const [childKey, child] of entries) {
        if (budget <= 0) break;
        children.push(build(child, depth + 1, childKey));
      }
    }
    return { kind: Array.isArray(v) ? 'array' : 'object', ...k, size: entries.length, children, omitted: entries.length - children.length };
  };
  return build(value, 0);
}
