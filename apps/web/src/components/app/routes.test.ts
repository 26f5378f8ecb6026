import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.ts';

describe('matchRoute', () => {
  it('opens a job, and a job with one artifact’s preview from its permalink', () => {
    expect(matchRoute('/jobs/42')).toEqual({ page: 'job', id: '42' });
    expect(matchRoute('/jobs/42/artifacts/charts/radar.svg')).toEqual({ page: 'job', id: '42', artifact: 'charts/radar.svg' });
    expect(matchRoute('/jobs/42/artifacts/a%20b%2Fc.md')).toEqual({ page: 'job', id: '42', artifact: 'a b/c.md' });
  });

  it('finds no page for a malformed or partial path', () => {
    expect(matchRoute('/jobs/42/artifacts/')).toEqual({ page: 'not-found' });
    expect(matchRoute('/jobs/42/other')).toEqual({ page: 'not-found' });
    expect(matchRoute('/jobs/42/artifacts/%E0%A4%A')).toEqual({ page: 'not-found' });
  });

  it('opens a pipeline’s history, and its compare view', () => {
    expect(matchRoute('/pipelines/literature-review')).toEqual({ page: 'pipeline', name: 'literature-review' });
    expect(matchRoute('/pipelines/a%20b/')).toEqual({ page: 'pipeline', name: 'a b' });
    expect(matchRoute('/pipelines/literature-review/compare')).toEqual({ page: 'pipeline', name: 'literature-review', compare: true });
    expect(matchRoute('/pipelines/x/other')).toEqual({ page: 'not-found' });
    expect(matchRoute('/pipelines/')).toEqual({ page: 'not-found' });
  });
});
