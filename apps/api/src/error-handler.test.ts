import { HeadwayError } from '@headway/progress';
import { describe, expect, it } from 'vitest';
import { toHeadwayError } from './error-handler.ts';

describe('toHeadwayError', () => {
  it('passes a HeadwayError through, also one a body reader threw inside a parse error', () => {
    const thrown = new HeadwayError(413, 'PAYLOAD_TOO_LARGE', 'too big');
    expect(toHeadwayError('UNKNOWN', thrown)).toBe(thrown);
    expect(toHeadwayError('PARSE', new Error('parse', { cause: thrown }))).toBe(thrown);
  });

  it("makes a request's validation error a 422 naming the first field, and an answer that fails its own schema a 500", () => {
    const request = { type: 'body', all: [{ path: '/pipeline', summary: 'Expected string' }] };
    expect(toHeadwayError('VALIDATION', request).toBody()).toEqual({
      error: { code: 'VALIDATION', message: '/pipeline: Expected string', details: [{ path: '/pipeline', message: 'Expected string' }] },
    });
    // The API's own body not matching the response it declares is a bug of the API, not the client's.
    const response = toHeadwayError('VALIDATION', { type: 'response', all: [{ path: '/attempts', summary: 'Expected integer' }] });
    expect([response.status, response.code, response.message]).toEqual([500, 'INTERNAL', 'Internal error']);
  });
});
