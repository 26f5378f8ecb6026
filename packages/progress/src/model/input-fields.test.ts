import { describe, expect, it } from 'vitest';
import { literatureReview } from '../pipelines/literature-review.ts';
import { inputFieldsOf, inputFrom, labelOf } from './input-fields.ts';
import type { PipelineInfo } from './pipeline-spec.ts';

const info = { ...literatureReview, inputSchema: JSON.parse(JSON.stringify(literatureReview.inputSchema)) } as unknown as PipelineInfo;

describe('Run form fields', () => {
  it('reads every simple option of the literature-review input, with its bounds and the sample’s values', () => {
    const fields = inputFieldsOf(info);
    expect(fields.map((f) => `${f.name}:${f.kind}`)).toEqual([
      'runMode:choice',
      'pillarSelections:list',
      'maxIterations:integer',
      'paceMs:integer',
    ]);
    expect(fields[0]).toMatchObject({ label: 'Run mode', options: ['ONCE', 'DEEP_LOOP'], initial: 'DEEP_LOOP' });
    expect(fields[2]).toMatchObject({ label: 'Max iterations', min: 1, max: 20, initial: 5 });
    expect(fields[1]).toMatchObject({ initial: 'ALL' });
  });

  it('reads the form back into typed input on top of the sample', () => {
    const fields = inputFieldsOf(info);
    const input = inputFrom(info, fields, { runMode: 'ONCE', pillarSelections: 'P1, P2 ,', maxIterations: '3', paceMs: '' });
    expect(input).toEqual({ runMode: 'ONCE', pillarSelections: ['P1', 'P2'], maxIterations: 3 });
  });

  it('words a property name as a label', () => {
    expect(labelOf('maxIterations')).toBe('Max iterations');
    expect(labelOf('run_mode')).toBe('Run mode');
  });
});
