import { describe, expect, it } from 'vitest';
import { isJobId, JOB_ID_PATTERN } from './job-id.ts';

describe('isJobId', () => {
  it('accepts BullMQ’s ids and custom ids of letters, digits, "_", "." and "-"', () => {
    for (const id of ['1', '42', '9007199254740993', 'a', 'report-2026.11_b', 'v1.2.3', 'A'.repeat(64)]) {
      expect(isJobId(id), id).toBe(true);
    }
  });

  it('refuses ids that would name another folder, break a hash tag or are not strings', () => {
    for (const id of [
      '',
      '.',
      '..',
      '../../escaped',
      'a/../../b',
      'a/b',
      '..\\..\\x',
      'a\\b',
      '/tmp/abs',
      '{tag}x',
      'a}',
      '%2e%2e',
      'a..b',
      '.hidden',
      '-flag',
      '_x',
      'a:b',
      'a b',
      'a\n',
      'ü',
      'A'.repeat(65),
    ]) {
      expect(isJobId(id), JSON.stringify(id)).toBe(false);
    }
    for (const id of [undefined, null, 1, {}, ['1']]) expect(isJobId(id), JSON.stringify(id)).toBe(false);
  });

  it('states the same rule as JOB_ID_PATTERN, which route schemas use', () => {
    const re = new RegExp(JOB_ID_PATTERN);
    for (const id of ['1', 'a.b', '..', 'a..b', '{x}', '.x']) expect(re.test(id), id).toBe(isJobId(id));
  });
});
