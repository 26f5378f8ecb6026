// GET /api/pipelines/:name/history through `app.handle`, on a history seeded through the model's store.
import { type ErrorBody, HistoryStore, type JobRecord, literatureReview, type PipelineHistory } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../../tests/support/in-process-api.ts';
import { type RedisHandle, startRedis } from '../../../../tests/support/redis-server.ts';

let redis: RedisHandle;
let api: InProcessApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await inProcessApi(redis, 'pipelines');
  // Requests fail fast (503) until the API's connection is up.
  const connection = api.services.redis;
  if (connection.status !== 'ready') await new Promise((ready) => connection.once('ready', ready));
});

afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const stageNames = literatureReview.stages.map((s) => s.name);
/** Job i: every stage takes i × (its place + 1) seconds, gap_analysis loops i times. */
function record(i: number): JobRecord {
  const stages = stageNames.map((name, k) => ({ name, seconds: i * (k + 1), ...(name === 'gap_analysis' && { iterations: i }) }));
  return {
    pipeline: 'literature-review',
    jobId: String(100 + i),
    finishedAt: new Date(Date.UTC(2026, 10, 24, 12, i)).toISOString(),
    size: 10 * i,
    seconds: stages.reduce((sum, s) => sum + s.seconds, 0),
    stages,
    calibration: 1.2,
    ...(i > 1 && { etaError: { at25: i, at50: -i / 2 } }),
  };
}

describe('GET /api/pipelines/:name/history', () => {
  it('answers an unknown pipeline with 404 UNKNOWN_PIPELINE naming the known ones', async () => {
    const res = await api.request('/api/pipelines/nope/history');
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('UNKNOWN_PIPELINE');
    expect(error.message).toMatch(/^Unknown pipeline "nope"; known: .*literature-review/);
  });

  it('answers a pipeline with no history yet with its stages and no jobs', async () => {
    const res = await api.request('/api/pipelines/literature-review/history');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pipeline: 'literature-review', stages: literatureReview.stages, usual: [], jobs: [] });
  });

  it('lists the recorded jobs newest first, without what only the estimator reads, and each stage’s usual band', async () => {
    const store = new HistoryStore(api.services.redis, api.services.keys);
    for (let i = 1; i <= 6; i++) await store.record(record(i));
    const res = await api.request('/api/pipelines/literature-review/history');
    expect(res.status).toBe(200);
    const body = (await res.json()) as PipelineHistory;
    expect(body.jobs.map((j) => j.jobId)).toEqual(['106', '105', '104', '103', '102', '101']);
    const { calibration: _, pipeline: __, ...newest } = record(6);
    expect(body.jobs[0]).toEqual(newest);
    expect(body.jobs[5]).not.toHaveProperty('etaError');
    // Stage k took 1…6 × (k + 1) s: the 10th percentile at rank 0.5 (1.5), the 90th at rank 4.5 (5.5), times k + 1.
    expect(body.usual).toEqual(stageNames.map((stage, k) => ({ stage, low: 1.5 * (k + 1), high: 5.5 * (k + 1) })));
  });
});
