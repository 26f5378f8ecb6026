// Typed helpers for the REST API (same origin). Failures throw an `ApiError` carrying the API's
// `error.message`, so views can show it as is.

import type {
  ArtifactList,
  CreateJobRequest,
  ErrorBody,
  ErrorCode,
  JobSummary,
  PipelineHistory,
  PipelineInfo,
  RetryJobRequest,
  SessionState,
  ShareLink,
  ShareRequest,
} from '@headway/progress/client';
import { CLOSE_UNAUTHORIZED } from '@headway/progress/client';

/** Dispatched on `window` when a request is refused for want of the API token: the app asks for it. */
export const UNAUTHORIZED_EVENT = 'hw-unauthorized';

/** A socket closed for want of a token (4401: the session ended, or its token was taken out of the file) signs the page out, as a 401 does. */
export function noticeSocketClose({ closeCode }: { closeCode?: number }): void {
  if (closeCode === CLOSE_UNAUTHORIZED) dispatchEvent(new Event(UNAUTHORIZED_EVENT));
}

/** The API's code, or what the browser saw instead: no answer, or an answer that is not Headway's. */
export type ApiErrorCode = ErrorCode | 'NETWORK' | `HTTP_${number}`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
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

/** Trades a token (a person's, or a share link's) for the HttpOnly cookie that authorizes this browser. */
export const signIn = (token: string): Promise<void> => request(SESSION, { method: 'POST', body: JSON.stringify({ token }) });

export const signOut = (): Promise<void> => request(SESSION, { method: 'DELETE' });

export const listPipelines = (): Promise<PipelineInfo[]> => request('/api/pipelines');

/** The finished jobs a pipeline's ETA learns from, newest first, with each stage's usual time. */
export const getPipelineHistory = (name: string): Promise<PipelineHistory> => request(`/api/pipelines/${encodeURIComponent(name)}/history`);

export const createJob = (body: CreateJobRequest): Promise<JobSummary> =>
  request('/api/jobs', { method: 'POST', body: JSON.stringify(body) });

/** Asks to cancel a job: it ends `cancelled` at once if it waits, else when its worker has stopped it. */
export const cancelJob = (id: string): Promise<JobSummary> => request(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

/**
 * Puts a failed or cancelled job back in the queue, as its next attempt. With the attempt the
 * page shows, a click that crossed someone else's retry is refused (409) instead of running twice.
 */
export const retryJob = (id: string, attempt?: number): Promise<JobSummary> =>
  request(`/api/jobs/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
    ...(attempt !== undefined && { body: JSON.stringify({ attempt } satisfies RetryJobRequest) }),
  });

/** A read-only link to one job (operators). */
export const shareJob = (id: string, body: ShareRequest = {}): Promise<ShareLink> =>
  request(`/api/jobs/${encodeURIComponent(id)}/share`, { method: 'POST', body: JSON.stringify(body) });

export const listArtifacts = (id: string): Promise<ArtifactList> => request(`/api/jobs/${encodeURIComponent(id)}/artifacts`);

/**
 * The first `maxBytes` of an artifact, as text, for a preview: asked for with `Range` and read no
 * further even if the server sends more. `cut` says the artifact goes on past what was read.
 */
export async function fetchArtifactHead(url: string, maxBytes: number, signal?: AbortSignal): Promise<{ text: string; cut: boolean }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { range: `bytes=0-${maxBytes - 1}` }, signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.', cause);
  }
  if (!res.ok) {
    if (res.status === 401) dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const body = (await res.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  let cut = false;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - read;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    read += Math.min(value.byteLength, room);
    if (value.byteLength >= room) {
      cut = value.byteLength > room || !(await reader.read()).done;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  // A 206 answer's total size tells whether the file goes on past the range.
  const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
  if (res.status === 206 && Number.isFinite(total)) cut = total > read;
  const bytes = new Uint8Array(read);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), cut };
}
