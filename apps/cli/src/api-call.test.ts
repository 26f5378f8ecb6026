import { describe, expect, it } from 'vitest';
import { problemsOf } from './api-call.ts';

describe('problemsOf', () => {
  it('gives the message, then the details it does not already say', () => {
    const body = {
      error: {
        code: 'VALIDATION',
        message: 'Invalid input for literature-review: /runMode: expected one of "ONCE", "DEEP_LOOP"',
        details: ['/runMode: expected one of "ONCE", "DEEP_LOOP"', '/paceMs: Expected integer'],
      },
    };
    expect(problemsOf(422, JSON.stringify(body))).toEqual([body.error.message, '  /paceMs: Expected integer']);
  });

  it('reads details given as path and message', () => {
    const body = { error: { code: 'VALIDATION', message: 'bad body', details: [{ path: '/name', message: 'too long' }] } };
    expect(problemsOf(422, JSON.stringify(body))).toEqual(['bad body', '  /name: too long']);
  });

  it('falls back to the status when the answer is not Headway JSON', () => {
    expect(problemsOf(413, '<html>too large</html>')).toEqual(['the API answered 413']);
  });
});
