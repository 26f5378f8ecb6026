import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ErrorBody, ErrorCode, HeadwayError } from './errors.ts';

describe('ErrorBody', () => {
  it('is what HeadwayError answers, with and without details', () => {
    const plain = new HeadwayError(404, 'JOB_NOT_FOUND', 'No job with id "7"').toBody();
    expect(plain).toEqual({ error: { code: 'JOB_NOT_FOUND', message: 'No job with id "7"' } });
    expect(Value.Check(ErrorBody, plain)).toBe(true);
    const detailed = new HeadwayError(422, 'VALIDATION', '/q: bad', { details: [{ path: '/q', message: 'bad' }] }).toBody();
    expect(Value.Check(ErrorBody, detailed)).toBe(true);
  });

  it('admits only the codes of the union, at run time and at compile time', () => {
    expect(Value.Check(ErrorCode, 'CONFLICT')).toBe(true);
    expect(Value.Check(ErrorCode, 'JOB_NOT_FUND')).toBe(false);
    expect(Value.Check(ErrorBody, { error: { code: 'OOPS', message: 'x' } })).toBe(false);
    // @ts-expect-error a misspelt code is a type error (the typecheck fails if ErrorCode widens to string)
    const misspelt: ErrorCode = 'JOB_NOT_FUND';
    expect(misspelt).toBe('JOB_NOT_FUND');
  });
});
