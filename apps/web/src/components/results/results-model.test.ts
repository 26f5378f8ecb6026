import type { ArtifactEvent, ArtifactInfo } from '@headway/progress/client';
import { describe, expect, it } from 'vitest';
import { attemptsOf, groupByStage, mergeArtifacts } from './results-model.ts';

const sha = 'a'.repeat(64);
const info = (name: string, attempt: number, createdAt: string, stage?: string): ArtifactInfo => ({
  name,
  size: 1,
  contentType: 'text/plain',
  sha256: sha,
  attempt,
  createdAt,
  ...(stage && { stage }),
});
const event = (name: string, attempt: number, ts: string, stage?: string): ArtifactEvent => ({
  kind: 'artifact',
  jobId: '1',
  seq: 1,
  ts,
  name,
  size: 2,
  contentType: 'text/plain',
  sha256: sha,
  attempt,
  ...(stage && { stage }),
});

describe('mergeArtifacts', () => {
  it('keeps one file per attempt and name, the later one, with both attempts beside each other', () => {
    const merged = mergeArtifacts(
      [info('report.md', 1, '2026-01-01T00:00:01Z'), info('a.svg', 1, '2026-01-01T00:00:00Z')],
      [event('report.md', 1, '2026-01-01T00:00:01Z'), event('report.md', 2, '2026-01-01T00:01:00Z')],
    );
    expect(merged.map((a) => [a.name, a.attempt, a.size])).toEqual([
      ['a.svg', 1, 1],
      ['report.md', 1, 2],
      ['report.md', 2, 2],
    ]);
    expect(attemptsOf(merged)).toEqual([2, 1]);
  });
});

describe('groupByStage', () => {
  it('orders groups as the pipeline’s stages, unknown stages after, files of no stage last', () => {
    const stages = [
      { name: 'search', label: 'Search' },
      { name: 'visualization', label: 'Visualization' },
      { name: 'finalization', label: 'Finalization' },
    ];
    const groups = groupByStage(
      [
        info('report.md', 1, 't', 'finalization'),
        info('loose.txt', 1, 't'),
        info('x.json', 1, 't', 'extra'),
        info('a.svg', 1, 't', 'visualization'),
        info('b.svg', 1, 't', 'visualization'),
      ],
      stages,
    );
    expect(groups.map((g) => [g.title, g.artifacts.map((a) => a.name)])).toEqual([
      ['Visualization', ['a.svg', 'b.svg']],
      ['Finalization', ['report.md']],
      ['extra', ['x.json']],
      ['Other files', ['loose.txt']],
    ]);
  });
});
