// Turns every error into `{ error: { code, message, details? } }` with the right status.
import { type ErrorBody, HeadwayError, isRedisUnavailable, serverLog } from '@headway/progress';
import { Elysia } from 'elysia';

interface ValidationLike {
  all?: { path?: string; message?: string; summary?: string }[];
  /** A schema's own `error` text, when the failing field has one. */
  customError?: unknown;
}

export const errorHandler = new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, ({ code, error, set }) => {
  let status = 500;
  let body: ErrorBody;
  // A body refused while it is read (json-body.ts) arrives wrapped in Elysia's ParseError.
  const refused = code === 'PARSE' ? (error as Error).cause : error;
  if (refused instanceof HeadwayError) {
    status = refused.status;
    body = refused.toBody();
  } else if (code === 'VALIDATION') {
    status = 422;
    const problems = ((error as ValidationLike).all ?? []).slice(0, 10).map((e) => ({
      path: e.path || '/',
      message: e.summary ?? e.message ?? 'invalid',
    }));
    const first = problems[0];
    const custom = (error as ValidationLike).customError;
    body = {
      error: {
        code: 'VALIDATION',
        message: typeof custom === 'string' ? custom : first ? `${first.path}: ${first.message}` : 'The request is not valid',
        details: problems,
      },
    };
  } else if (code === 'PARSE') {
    status = 400;
    body = { error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON' } };
  } else if (code === 'NOT_FOUND') {
    status = 404;
    body = { error: { code: 'NOT_FOUND', message: 'No such route' } };
  } else if (isRedisUnavailable(error)) {
    status = 503;
    body = { error: { code: 'UNAVAILABLE', message: 'Redis is not reachable; try again shortly' } };
  } else {
    serverLog.error('api', error);
    body = { error: { code: 'INTERNAL', message: 'Internal error' } };
  }
  set.status = status;
  set.headers['content-type'] = 'application/json';
  return JSON.stringify(body);
});
