// Calls to the REST API: the answer's body, or the API's own words on why not (and the exit code
// that goes with them: 2 for a request the API refused, 1 when it could not answer).
import type { ErrorBody } from '@headway/progress/client';
import { oneLine } from './job-lines.ts';

export type ApiResult<T> = { ok: true; body: T } | { ok: false; exitCode: number; problems: string[] };

export async function callApi<T>(
  apiUrl: string,
  path: string,
  { method = 'GET', body, token, signal }: { method?: string; body?: unknown; token?: string; signal?: AbortSignal },
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      ...(signal && { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, exitCode: 1, problems: [`cannot reach the API at ${apiUrl}: ${describe(error)}`] };
  }
  const text = await res.text();
  if (res.ok) {
    try {
      return { ok: true, body: JSON.parse(text) as T };
    } catch {
      return { ok: false, exitCode: 1, problems: [`the API answered ${res.status} with something that is not JSON`] };
    }
  }
  // A 4xx is the request's fault (unknown pipeline, invalid input): a usage error for the caller.
  const problems = problemsOf(res.status, text);
  if (res.status === 401) problems.push(token ? 'HEADWAY_API_TOKEN is not the API token' : 'set HEADWAY_API_TOKEN to the API token');
  if (res.status === 403 && token) problems.push('HEADWAY_API_TOKEN’s role does not allow this; ask an admin for a token that does');
  return { ok: false, exitCode: res.status < 500 ? 2 : 1, problems };
}

/** The error's message, then each detail it does not already say. */
export function problemsOf(status: number, text: string): string[] {
  let error: Partial<ErrorBody['error']> | undefined;
  try {
    error = (JSON.parse(text) as Partial<ErrorBody>).error;
  } catch {
    // Not Headway's error shape (a proxy's page, say): the status is all there is.
  }
  const message = error?.message ? oneLine(String(error.message)) : `the API answered ${status}`;
  const details = Array.isArray(error?.details) ? error.details.map(detailText) : [];
  return [message, ...details.filter((d) => d && !message.includes(d)).map((d) => `  ${d}`)];
}

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return oneLine(detail);
  if (detail && typeof detail === 'object' && 'message' in detail) {
    const { path, message } = detail as { path?: unknown; message?: unknown };
    return oneLine(path ? `${path}: ${message}` : String(message));
  }
  return oneLine(JSON.stringify(detail));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
