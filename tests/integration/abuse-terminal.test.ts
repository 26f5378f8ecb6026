// Text a user sent, echoed back in a failure reason or an error, reaches what the API and the
// worker print on the operator's terminal (`npm start`) only as printable text: no escape
// sequence can retitle the window or clear the screen, no control or bidi mark gets through.
import type { JobSummary } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessHandle } from '../support/processes.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const PREFIX = 'abuse-terminal';
const CONFIG = 'tests/support/configs/fails-with.config.ts';
/** Retitles the window, clears the screen (7- and 8-bit CSI), rings the bell, reverses the line. */
const HOSTILE = 'title \x1b]0;pwned\x07 then \x1b[2J cleared \x9b2J\x07 \u202ereversed';
/** ESC, BEL and every other C0 control but tab and line feed, DEL, C1 controls, bidi controls. */
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let stack: TestStack;
let api: ApiProcess;
let worker: ProcessHandle;

beforeAll(async () => {
  stack = await startStack({ prefix: PREFIX, env: { HEADWAY_CONFIG: CONFIG }, workers: 1 });
  ({ api, worker } = stack);
});

afterAll(() => stack?.stop());

async function until<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

describe('what the servers print', () => {
  it('shows a failure reason full of escape sequences as plain text in the worker’s output', async () => {
    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'fails-with', input: { message: HOSTILE } }),
    });
    expect(res.status).toBe(201);
    const job = (await res.json()) as JobSummary;
    const line = await until(() =>
      worker
        .output()
        .split('\n')
        .find((l) => l.startsWith(`[worker] job ${job.id} failed:`)),
    );
    expect(line).toBe(`[worker] job ${job.id} failed: upstream said: title  then  cleared  reversed`);
    // The reason itself is kept whole for the job's viewers, who clean it where they show it.
    const failed = (await (await fetch(`${api.url}/api/jobs/${job.id}`)).json()) as { failedReason?: string };
    expect(failed.failedReason).toBe(`upstream said: ${HOSTILE}`);
    expect(worker.output()).not.toMatch(UNPRINTABLE);
  });

  it('shows an error echoing a request as plain text in the API’s output', async () => {
    // BullMQ's error for a missing parent names the parent's key, taken from the request.
    const res = await fetch(`${api.url}/admin/queues/api/queues/pipelines/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'fails-with', data: {}, options: { parent: { id: `p${HOSTILE}`, queue: `${PREFIX}:pipelines` } } }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const line = await until(() =>
      api
        .output()
        .split('\n')
        .find((l) => l.includes('Missing key for parent job')),
    );
    expect(line).toBe(`[api] Error: Missing key for parent job ${PREFIX}:pipelines:ptitle  then  cleared  reversed. addJob`);
    expect(api.output()).not.toMatch(UNPRINTABLE);
  });
});
