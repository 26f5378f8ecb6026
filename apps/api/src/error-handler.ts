// Turns every error into `{ error: { code, message, details? } }` with the right status.
import { type ErrorBody, HeadwayError, serverLog } from '@headway/progress';
import { Elysia } from 'elysia';

interface ValidationLike {
  all?: { path?: string; message?: string; summary?: string }[];
}

export const errorHandler = new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, ({ code, error, set }) => {
  let status = 500;
  let body: ErrorBody;
  if (error instanceof HeadwayError) {
    status = error.status;
    body = error.toBody();
  } else if (code === 'VALIDATION') {
    status = 422;
    const problems = ((error as ValidationLike).all ?? []).slice(0, 10).map((e) => ({
      path: e.path || '/',
      message: e.summary ?? e.message ?? 'invalid',
    }));
    const first = problems[0];
    body = {
      error: {
        code: 'VALIDATION',
        message: first ? `${first.path}: ${first.message}` : 'The request is not valid',
        details: problems,
      },
    };
  } else if (code === 'PARSE') {
    status = 400;
    body = { error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON' } };
  } else if (code === 'NOT_FOUND') {
    status = 404;
    body = { error: { code: 'NOT_FOUND', message: 'No such route' } };
  } else if (isRedisDown(error)) {
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

function isRedisDown(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Connection is closed|ECONNREFUSED|Stream isn't writeable|max retries per request/i.test(message);
}
