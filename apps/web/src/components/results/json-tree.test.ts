import { describe, expect, it } from 'vitest';
import { type JsonNode, jsonTree } from './json-tree.ts';

const count = (node: JsonNode): number => 1 + (node.kind === 'value' ? 0 : node.children.reduce((n, c) => n + count(c), 0));
const depth = (node: JsonNode): number =>
  node.kind === 'value' || node.children.length === 0 ? 0 : 1 + Math.max(...node.children.map(depth));

describe('jsonTree', () => {
  it('keeps keys, sizes and each value’s type', () => {
    expect(jsonTree({ a: [1, 'x', null, true] })).toEqual({
      kind: 'object',
      size: 1,
      omitted: 0,
      children: [
        {
          kind: 'array',
          key: 'a',
          size: 4,
          omitted: 0,
          children: [
            { kind: 'value', key: '0', type: 'number', text: '1' },
            { kind: 'value', key: '1', type: 'string', text: '"x"' },
            { kind: 'value', key: '2', type: 'null', text: 'null' },
            { kind: 'value', key: '3', type: 'boolean', text: 'true' },
          ],
        },
      ],
    });
  });

  it('stops at the node budget and counts what it left out', () => {
    const tree = jsonTree(
      Array.from({ length: 100_000 }, (_, i) => ({ i })),
      { maxDepth: 12, maxNodes: 500 },
    );
    expect(count(tree)).toBeLessThanOrEqual(500);
    expect(tree.kind === 'array' && tree.size).toBe(100_000);
    expect(tree.kind === 'array' && tree.omitted).toBeGreaterThan(99_000);
  });

  it('stops at the depth bound, still saying how big the deeper values are', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 1000; i++) deep = [deep];
    const tree = jsonTree(deep, { maxDepth: 5, maxNodes: 2000 });
    expect(depth(tree)).toBe(5);
    let node = tree;
    while (node.kind !== 'value' && node.children[0]) node = node.children[0];
    expect(node).toMatchObject({ kind: 'array', size: 1, omitted: 1, children: [] });
  });
});
