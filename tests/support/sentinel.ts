// A finished job whose whole history an abuse test reads before and after its hostile requests:
// equal snapshots show that nothing the attacker sent reached another job's data.
import { expect } from 'vitest';
import { callApi, createJob } from './call-api.ts';
import { until } from './until.ts';

export interface Sentinel {
  id: string;
  /** The job as GET /api/jobs/:id answers and its every event, as they are now. */
  snapshot(): Promise<string>;
  /** Fails the test unless the job and its events are exactly as when it finished. */
  expectUnchanged(): Promise<void>;
}

const ENDED = ['completed', 'failed', 'cancelled'];

/** A literature review that the worker completes at once, watched from then on. */
export async function createSentinel(apiUrl: string, headers: Record<string, string> = {}): Promise<Sentinel> {
  const { id } = await createJob(
    apiUrl,
    { pipeline: 'literature-review', name: 'sentinel', input: { runMode: 'ONCE', paceMs: 0 } },
    headers,
  );
  await until(
    () => readJob(apiUrl, id, headers),
    (job) => job.status === 'completed',
    60_000,
  );
  return sentinelOf(apiUrl, id, headers);
}

/** Watches a job the test has brought to its end some other way (failed, cancelled): as it is now is how it must stay. */
export async function sentinelOf(apiUrl: string, id: string, headers: Record<string, string> = {}): Promise<Sentinel> {
  const read = async () => [await readJob(apiUrl, id, headers), await readJob(apiUrl, id, headers, '/events?limit=5000')] as const;
  const [job, events] = await read();
  expect(ENDED, `sentinel job ${id} has not ended`).toContain(job.status);
  expect((events.entries as unknown[]).length, `sentinel job ${id} has no events`).toBeGreaterThan(0);
  const before = JSON.stringify([job, events]);
  const snapshot = async () => JSON.stringify(await read());
  return { id, snapshot, expectUnchanged: async () => expect(await snapshot()).toBe(before) };
}

async function readJob(apiUrl: string, id: string, headers: Record<string, string>, path = '') {
  const res = await callApi(apiUrl, 'GET', `/api/jobs/${id}${path}`, { headers });
  expect(res.status, path).toBe(200);
  return res.body as Record<string, unknown>;
}
