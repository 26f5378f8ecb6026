// Typed helpers for the REST API (same origin). Failures throw an `ApiError` carrying the API's
// `error.message`, so views can show it as is.
import type { CreateJobRequest, ErrorBody, JobSummary, PipelineInfo } from '@headway/progress';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.', cause);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    const message = error?.message ?? (text.trim().slice(0, 200) || `${res.status} ${res.statusText}`);
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, message, error?.details);
  }
  return body as T;
}

export const listPipelines = (): Promise<PipelineInfo[]> => request('/api/pipelines');

export const createJob = (body: CreateJobRequest): Promise<JobSummary> =>
  request('/api/jobs', { method: 'POST', body: JSON.stringify(body) });

/** Asks to cancel a job: it ends `cancelled` at once if it waits, else when its worker has stopped it. */
export const cancelJob = (id: string): Promise<JobSummary> =>
  request(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

/** Puts a failed or cancelled job back in the queue, as its next attempt. */
export const retryJob = (id: string): Promise<JobSummary> =>
  request(`/api/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' });
