// A worker asked to stop (SIGTERM, as `npm start`'s Ctrl-C and `docker compose stop` do) lets its
// running jobs finish within a grace period, and past it ends them with a reason that says why.
import type { JobSummary } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessHandle } from '../support/processes.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let stack: TestStack;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startStack({ prefix: 'stop' });
  ({ api } = stack);
});

afterAll(() => stack?.stop());

async function runJob(paceMs: number): Promise<{ job: JobSummary; client: ProgressClient }> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs } }),
  });
  const job = (await res.json()) as JobSummary;
  const client = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
  await client.waitFor((c) => c.events.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge'));
  return { job, client };
}

describe('worker shutdown', () => {
  it('finishes a running job within the grace period, then exits 0', async () => {
    const worker = await stack.addWorker({ WORKER_SHUTDOWN_GRACE_MS: '30000' });
    const { client } = await runJob(3);
    worker.proc.kill('SIGTERM');
    expect(await worker.proc.exited).toBe(0);
    await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 5_000);
    expect(client.messages.find((m) => m.type === 'job_complete')).toEqual({ type: 'job_complete', status: 'completed' });
    client.close();
  });

  it('past the grace period, ends the job failed with the reason, and exits 0', async () => {
    const worker: ProcessHandle = await stack.addWorker({ WORKER_SHUTDOWN_GRACE_MS: '300' });
    const { job, client } = await runJob(40);
    worker.proc.kill('SIGTERM');
    expect(await worker.proc.exited).toBe(0);
    await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 5_000);
    const failed = client.events.find((e) => e.event.kind === 'status' && e.event.status === 'failed');
    expect(failed?.event.kind === 'status' && failed.event.reason).toBe('worker stopped before the job finished');
    client.close();
    const detail = await (await fetch(`${api.url}/api/jobs/${job.id}`)).json();
    expect(detail.failedReason).toBe('worker stopped before the job finished');
  });
});
