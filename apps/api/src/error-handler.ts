// The one place an error becomes `{ error: { code, message, details? } }` with its status: thrown
// in a route (onError), refused before routing (access.ts) or answered as is (artifacts' 416).
import { ErrorBody, HeadwayError, isRedisUnavailable, serverLog } from '@headway/progress';
import { Elysia } from 'elysia';

interface ValidationLike {
  all?: { path?: string; message?: string; summary?: string }[];
  /** A schema's own `error` text, when the failing field has one. */
  customError?: unknown;
  /** What failed its schema: `response` is the API's own answer, a bug, not the request's fault. */
  type?: string;
}

/**
 * A route's error statuses for its `response` schemas (`{ 200: X, ...errorResponses(404, 409) }`),
 * each the one ErrorBody, so OpenAPI documents them. A body's 400, 413 and 415 (json-body.ts) and
 * 401 (access.ts) are listed by the routes they can reach.
 */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody])) as Record<S, typeof ErrorBody>;
}

/** An error's JSON response, for code that answers before or outside Elysia's onError. */
export function errorResponse(error: HeadwayError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(error.toBody()), {
    status: error.status,
    headers: { ...headers, 'content-type': 'application/json' },
  });
}

/** Whatever was thrown, as the HeadwayError the client is told; unknown errors are logged here. */
export function toHeadwayError(code: string | number, error: unknown): HeadwayError {
  // A body refused while it is read (json-body.ts) arrives wrapped in Elysia's ParseError.
  const refused = code === 'PARSE' ? (error as Error).cause : error;
  if (refused instanceof HeadwayError) return refused;
  if (code === 'VALIDATION' && (error as ValidationLike).type !== 'response') {
    const problems = ((error as ValidationLike).all ?? []).slice(0, 10).map((e) => ({
      path: e.path || '/',
      message: e.summary ?? e.message ?? 'invalid',
    }));
    const first = problems[0];
    const custom = (error as ValidationLike).customError;
    const message = typeof custom === 'string' ? custom : first ? `${first.path}: ${first.message}` : 'The request is not valid';
    return new HeadwayError(422, 'VALIDATION', message, { details: problems });
  }
  if (code === 'PARSE') return new HeadwayError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
  if (code === 'NOT_FOUND') return new HeadwayError(404, 'NOT_FOUND', 'No such route');
  if (isRedisUnavailable(error)) return new HeadwayError(503, 'UNAVAILABLE', 'Redis is not reachable; try again shortly');
  serverLog.error('api', error);
  return new HeadwayError(500, 'INTERNAL', 'Internal error');
}

export const errorHandler = new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, ({ code, error, set }) => {
  const refused = toHeadwayError(code, error);
  set.status = refused.status;
  set.headers['content-type'] = 'application/json';
  return JSON.stringify(refused.toBody());
});
