// Typed helpers for the REST API (same origin). Failures throw an `ApiError` carrying the API's
// `error.message`, so views can show it as is.
import type { CreateJobRequest, ErrorBody, JobSummary, PipelineInfo, RetryJobRequest, SessionState } from '@headway/progress';

/** Dispatched on `window` when a request is refused for want of the API token: the app asks for it. */
export const UNAUTHORIZED_EVENT = 'hw-unauthorized';

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
    if (res.status === 401 && path !== SESSION) dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    const message = error?.message ?? (text.trim().slice(0, 200) || `${res.status} ${res.statusText}`);
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, message, error?.details);
  }
  return body as T;
}

const SESSION = '/api/session';

export const getSession = (): Promise<SessionState> => request(SESSION);

/** Trades the API token for the HttpOnly cookie that authorizes this browser. */
export const signIn = (token: string): Promise<void> => request(SESSION, { method: 'POST', body: JSON.stringify({ token }) });

export const signOut = (): Promise<void> => request(SESSION, { method: 'DELETE' });

export const listPipelines = (): Promise<PipelineInfo[]> => request('/api/pipelines');

export const createJob = (body: CreateJobRequest): Promise<JobSummary> =>
  request('/api/jobs', { method: 'POST', body: JSON.stringify(body) });

/** Asks to cancel a job: it ends `cancelled` at once if it waits, else when its worker has stopped it. */
export const cancelJob = (id: string): Promise<JobSummary> =>
  request(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

/**
 * Puts a failed or cancelled job back in the queue, as its next attempt. With the attempt the
 * page shows, a click that crossed someone else's retry is refused (409) instead of running twice.
 */
export const retryJob = (id: string, attempt?: number): Promise<JobSummary> =>
  request(`/api/jobs/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
    ...(attempt !== undefined && { body: JSON.stringify({ attempt } satisfies RetryJobRequest) }),
  });
