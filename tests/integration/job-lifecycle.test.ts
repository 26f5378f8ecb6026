// One job from POST /api/jobs to its last event, through a real Redis, an API process and a
// worker process, watched by real WebSocket clients.
import type { JobSummary, ProgressEvent } from '@headway/progress';
import { literatureReview } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let stack: TestStack;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startStack({ prefix: 'it', workers: 1, worker: { WORKER_CONCURRENCY: '2' } });
  ({ api } = stack);
});

afterAll(() => stack?.stop());

async function post(path: string, body: unknown) {
  const res = await fetch(api.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whichever field it asserts on
  return { status: res.status, body: (await res.json()) as any };
}

const STAGES = literatureReview.stages.map((s) => s.name);

describe('a literature-review job watched over the progress socket', () => {
  it('delivers initial_status, then seq 1..N with no hole, every stage in order, then job_complete; a late viewer with after=0 gets the identical sequence', async () => {
    const created = await post('/api/jobs', { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 8 } });
    expect(created.status).toBe(201);
    const job = created.body as JobSummary;
    expect(job.status).toBe('waiting');

    const first = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await first.waitFor((c) => c.events.some((e) => e.event.kind === 'progress' && e.event.stage === 'deep_review'));
    const second = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress?after=0`));
    await first.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    await second.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));

    expect(first.messages[0]?.type).toBe('initial_status');
    expect(second.messages[0]?.type).toBe('initial_status');
    const seqs = first.events.map((e) => e.event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThan(50);

    const phases = first.events
      .map((e) => e.event)
      .filter((e): e is ProgressEvent => e.kind === 'progress' && (e.phase === 'starting' || e.phase === 'complete'))
      .map((e) => `${e.stage}:${e.phase}`);
    expect(phases).toEqual(STAGES.flatMap((s) => [`${s}:starting`, `${s}:complete`]));

    const iterations = first.events.flatMap((e) =>
      e.event.kind === 'progress' && e.event.iteration !== undefined ? [e.event.iteration] : [],
    );
    expect(Math.max(...iterations)).toBeGreaterThanOrEqual(2);

    const percentages = first.events.flatMap((e) => (e.event.kind === 'progress' ? [e.event.percentage] : []));
    for (let i = 1; i < percentages.length; i++) expect(percentages[i]).toBeGreaterThanOrEqual(percentages[i - 1]!);
    expect(percentages.at(-1)).toBe(100);

    const complete = first.messages.filter((m) => m.type === 'job_complete');
    expect(complete).toEqual([{ type: 'job_complete', status: 'completed' }]);

    expect(second.events).toEqual(first.events);
    first.close();
    second.close();

    // The stream says completed just before BullMQ moves the job to completed: a read in between
    // is still active, never completed without its result.
    const read = async () => (await fetch(`${api.url}/api/jobs/${job.id}`)).json();
    await expect.poll(async () => (await read()).status).toBe('completed');
    const detail = await read();
    expect(detail.percentage).toBe(100);
    expect(detail.result.summary.iterations).toBeGreaterThanOrEqual(2);
  });

  it('gives 20 viewers joining at random moments of a busy job each seq 1..N exactly once, in order', async () => {
    const { body: job } = await post('/api/jobs', { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 2 } });
    const viewers: ProgressClient[] = [];
    for (let i = 0; i < 20; i++) {
      await Bun.sleep(Math.random() * 80);
      viewers.push(new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`)));
    }
    await Promise.all(viewers.map((v) => v.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'))));
    // They really joined at different points of the stream, not all before or after it ran.
    const joinedAt = viewers.map((v) => (v.messages[0]?.type === 'initial_status' ? v.messages[0].cursor : ''));
    expect(new Set(joinedAt).size).toBeGreaterThan(3);
    const reference = viewers[0]!.events;
    expect(reference.map((e) => e.event.seq)).toEqual(Array.from({ length: reference.length }, (_, i) => i + 1));
    for (const viewer of viewers) {
      expect(viewer.events).toEqual(reference);
      expect(viewer.messages.filter((m) => m.type === 'job_complete')).toHaveLength(1);
      viewer.close();
    }
  });

  it('replays a finished job to a viewer that connects afterwards, ending with job_complete', async () => {
    const { body: job } = await post('/api/jobs', { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } });
    const live = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await live.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    live.close();
    const late = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await late.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    const seqs = (c: ProgressClient) => c.events.map((e) => e.event.seq);
    expect(seqs(live)).toEqual(Array.from({ length: seqs(late).length }, (_, i) => i + 1));
    expect(late.events).toEqual(live.events);
    const resumed = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress?after=${live.events[9]!.id}`));
    await resumed.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    expect(resumed.events).toEqual(live.events.slice(10));
    late.close();
    resumed.close();
  });

  it('ends a job whose input cites a missing paper as failed, with an error event naming the cause', async () => {
    const corpus = {
      papers: [{ id: 'p1', title: 'Spiking networks', text: 'Spiking neural networks save energy on event data.' }],
      claims: [{ id: 'c1', paperId: 'p404', text: 'Spiking networks save energy.' }],
      pillars: [{ id: 'P1', name: 'Energy', subRequirements: [{ id: 'S1', text: 'energy', keywords: ['energy'] }] }],
    };
    const { status, body: job } = await post('/api/jobs', { pipeline: 'literature-review', input: { corpus, paceMs: 0 } });
    expect(status).toBe(201);
    const client = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    client.close();
    expect(client.messages.find((m) => m.type === 'job_complete')).toEqual({ type: 'job_complete', status: 'failed' });
    const errorEvent = client.events.find((e) => e.event.kind === 'progress' && e.event.phase === 'error');
    expect(errorEvent?.event.kind === 'progress' && errorEvent.event.message).toMatch(/c1.*p404/);
    const failed = client.events.find((e) => e.event.kind === 'status' && e.event.status === 'failed');
    expect(failed?.event.kind === 'status' && failed.event.reason).toMatch(/p404/);
    await Bun.sleep(200);
    const detail = await (await fetch(`${api.url}/api/jobs/${job.id}`)).json();
    expect(detail.status).toBe('failed');
    expect(detail.failedReason).toMatch(/p404/);
  });
});

describe('the ETA learns from finished jobs', () => {
  it('gives a job after earlier finished ones an ETA with basis history and a band around it', async () => {
    const { body: job } = await post('/api/jobs', { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 1 } });
    const client = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    client.close();
    const etas = client.events.flatMap((e) => (e.event.kind === 'progress' && e.event.eta ? [e.event.eta] : []));
    const fromHistory = etas.filter((eta) => eta.basis === 'history');
    expect(fromHistory.length).toBeGreaterThan(etas.length / 2);
    for (const eta of fromHistory) {
      expect(eta.low).toBeLessThanOrEqual(eta.seconds);
      expect(eta.high).toBeGreaterThanOrEqual(eta.seconds);
    }
  });
});

describe('bad input gets a clear 4xx and loses nothing', () => {
  it('answers 404 naming an unknown pipeline and the known ones', async () => {
    const res = await post('/api/jobs', { pipeline: 'nope' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_PIPELINE');
    expect(res.body.error.message).toMatch(/"nope".*literature-review/);
  });

  it('answers 422 naming the input field that is wrong', async () => {
    const res = await post('/api/jobs', { pipeline: 'literature-review', input: { runMode: 'SOMETIMES' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.message).toMatch(/runMode/);
  });

  it('answers 422 naming a body field of the wrong type, and 400 for a body that is not JSON', async () => {
    const wrong = await post('/api/jobs', { pipeline: 42 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toMatch(/pipeline/);
    const broken = await post('/api/jobs', '{"pipeline": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('BAD_REQUEST');
  });

  it('answers 404 for an unknown job, over REST and over the socket (close 4404)', async () => {
    const res = await fetch(`${api.url}/api/jobs/999999`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('JOB_NOT_FOUND');
    const client = new ProgressClient(wsUrl(api.url, '/ws/jobs/999999/progress'));
    await client.waitFor((c) => c.closed !== undefined, 10_000);
    expect(client.closed?.code).toBe(4404);
    expect(client.messages[0]).toMatchObject({ type: 'error', code: 'JOB_NOT_FOUND' });
  });

  it('lists jobs newest first and reports health', async () => {
    const list = await (await fetch(`${api.url}/api/jobs?limit=5`)).json();
    expect(list.jobs.length).toBeGreaterThan(0);
    const times = list.jobs.map((j: JobSummary) => Date.parse(j.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const health = await (await fetch(`${api.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', redis: 'ok' });
  });

  it('searches the list by text and counts what matches', async () => {
    const labelled = await post('/api/jobs', {
      pipeline: 'literature-review',
      name: 'Search Me please',
      input: { runMode: 'ONCE', paceMs: 1 },
    });
    const found = await (await fetch(`${api.url}/api/jobs?q=search%20me`)).json();
    expect(found.jobs.map((j: JobSummary) => j.id)).toEqual([labelled.body.id]);
    expect(found.total).toBe(1);
    const none = await (await fetch(`${api.url}/api/jobs?q=nothing-like-this&pipeline=literature-review`)).json();
    expect(none).toEqual({ jobs: [], total: 0 });
    const tooLong = await fetch(`${api.url}/api/jobs?q=${'x'.repeat(101)}`);
    expect(tooLong.status).toBe(422);
  });
});

describe('Bull Board', () => {
  it('shows the pipelines queue with its jobs, their progress and their logs', async () => {
    const page = await fetch(`${api.url}/admin/queues`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const queues = await (await fetch(`${api.url}/admin/queues/api/queues?activeQueue=pipelines&status=completed`)).json();
    const queue = queues.queues.find((q: { name: string }) => q.name === 'pipelines');
    expect(queue).toBeDefined();
    expect(queue.counts.completed).toBeGreaterThan(0);
    const job = queue.jobs.find((j: { progress: unknown }) => typeof j.progress === 'object');
    expect(job.progress.percentage).toBe(100);
    const logs = await (await fetch(`${api.url}/admin/queues/api/queues/pipelines/${job.id}/logs`)).json();
    expect(logs.some((line: string) => line.startsWith('[judge] '))).toBe(true);
    expect(logs.some((line: string) => line.startsWith('[finalization] Report written'))).toBe(true);
  });
});
