import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH } from '../model/events.ts';
import { compareIds, decodeEntry, encodeEvent } from './stream-codec.ts';

describe('stream codec', () => {
  it('round-trips an event and takes seq from its own field', () => {
    const event = { kind: 'log' as const, jobId: '1', attempt: 1, ts: 'x', level: 'info' as const, message: 'hi' };
    const entry = decodeEntry(['5-0', ['seq', '3', 'e', encodeEvent(event)]]);
    expect(entry).toEqual({ id: '5-0', event: { ...event, seq: 3 } });
  });

  it('cuts an over-long message and says how much was cut', () => {
    const message = 'x'.repeat(MAX_MESSAGE_LENGTH * 2);
    const json = JSON.parse(encodeEvent({ kind: 'log', jobId: '1', attempt: 1, ts: 'x', level: 'info', message }));
    expect(json.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(json.message).toMatch(/more characters cut\]$/);
  });

  it('orders stream ids numerically, not as text', () => {
    expect(compareIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareIds('9-10', '9-9')).toBeGreaterThan(0);
    expect(compareIds('0', '1-0')).toBeLessThan(0);
    expect(compareIds('3-1', '3-1')).toBe(0);
  });
});
