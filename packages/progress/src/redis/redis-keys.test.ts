import { describe, expect, it } from 'vitest';
import { hashTag, redisKeys } from './redis-keys.ts';

describe('redisKeys', () => {
  it('keeps the keys of a single Redis as they were', () => {
    const keys = redisKeys('hw');
    expect([keys.queuePrefix, keys.events('42'), keys.seq('42'), keys.control, keys.jobListLastEventId]).toEqual([
      'hw',
      'hw:job:{42}:events',
      'hw:job:{42}:seq',
      'hw:control',
      'hw:job-list:last-event-id',
    ]);
  });

  it('gives BullMQ the tagged prefix and each job its id as the only hash tag', () => {
    const keys = redisKeys('{hw}');
    expect(keys.queuePrefix).toBe('{hw}');
    expect([keys.events('42'), keys.live('42'), keys.cancelRequest('42')]).toEqual([
      'hw:job:{42}:events',
      'hw:job:{42}:live',
      'hw:job:{42}:cancel',
    ]);
    expect(hashTag(keys.events('42'))).toBe('42');
    expect(hashTag(keys.artifacts('7'))).toBe('7');
    // The feed's cursor sits in the queue's slot, beside the BullMQ events stream it points into.
    expect(hashTag(keys.jobListLastEventId)).toBe('hw');
  });
});

describe('hashTag', () => {
  it('is what Redis Cluster hashes: the first non-empty {…}', () => {
    expect(hashTag('{hw}:pipelines:wait')).toBe('hw');
    expect(hashTag('a{b}{c}')).toBe('b');
    expect(hashTag('hw:pipelines:wait')).toBeUndefined();
    expect(hashTag('{}x{y}')).toBeUndefined();
    expect(hashTag('x{y')).toBeUndefined();
  });
});
