// How an integration test talks JSON to a real API process: one request, answered with its
// status, its body parsed and how long it took; and creating a job, which must answer 201.
import type { JobSummary } from '@headway/progress';
import { expect } from 'vitest';

export interface ApiAnswer {
  status: number;
  /** The body parsed as JSON; assertions read what they need. */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whichever field it asserts on
  body: any;
  ms: number;
}

export interface CallInit {
  /** Sent as JSON, with its content-type. */
  body?: unknown;
  headers?: Record<string, string>;
  /** By default 10 s: a request the API never answers fails the test instead of hanging it. */
  signal?: AbortSignal;
}

export async function callApi(apiUrl: string, method: string, path: string, init: CallInit = {}): Promise<ApiAnswer> {
  const started = performance.now();
  const res = await fetch(apiUrl + path, {
    method,
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    signal: init.signal ?? AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

/** POST /api/jobs with `body`; fails the test unless the job is created (201). */
export async function createJob(apiUrl: string, body: object, headers: Record<string, string> = {}): Promise<JobSummary> {
  const created = await callApi(apiUrl, 'POST', '/api/jobs', { body, headers });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}
