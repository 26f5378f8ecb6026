import { literatureReview } from '@headway/progress';
import { describe, expect, it } from 'vitest';
import { pipelineLines } from './pipeline-lines.ts';

describe('pipelineLines', () => {
  it('names the pipeline, its stages in order and each input option with its choices, bounds and default', () => {
    const lines = pipelineLines(JSON.parse(JSON.stringify(literatureReview)));
    expect(lines[0]).toBe('literature-review · Literature review');
    expect(lines).toContain('  stages: initialization → judge → deep_review → gap_analysis (loops) → visualization → finalization');
    expect(lines).toContain('    runMode: ONCE | DEEP_LOOP (default DEEP_LOOP)');
    expect(lines).toContain('    maxIterations: integer 1–20 (default 5)');
    expect(lines).toContain('    pillarSelections: comma-separated list (default ALL)');
  });

  it('says when a pipeline takes no input', () => {
    const bare = {
      name: 'x',
      title: 'X',
      description: '',
      stages: [{ name: 'work', label: 'Work', weight: 1 }],
      inputSchema: { type: 'object', properties: {} },
      sampleInput: {},
    };
    expect(pipelineLines(bare)).toEqual(['x · X', '  stages: work', '  input: none']);
  });
});
