import { describe, expect, it } from 'vitest';
import { parseControlMessage } from '../redis/cancel-requests.ts';
import { cancelledReason, cancelledWhy, isCancelledReason } from './cancelled-reason.ts';
import { statusFromState } from './job-summary.ts';

describe('cancelledReason', () => {
  it('marks the reason so a failed BullMQ job reads as cancelled, and gives the why back', () => {
    const reason = cancelledReason('wrong corpus');
    expect(reason).toBe('Cancelled: wrong corpus');
    expect(isCancelledReason(reason)).toBe(true);
    expect(cancelledWhy(reason)).toBe('wrong corpus');
    expect(statusFromState('failed', reason)).toBe('cancelled');
  });

  it('names who cancelled it: the status reads "cancelled" with the reason "by olga", and the why follows', () => {
    expect(cancelledReason(undefined, 'olga')).toBe('Cancelled: by olga');
    expect(cancelledWhy(cancelledReason('wrong corpus', 'olga'))).toBe('by olga: wrong corpus');
    expect(statusFromState('failed', cancelledReason(undefined, 'olga'))).toBe('cancelled');
  });

  it('leaves failures, worker shutdowns and other states alone', () => {
    expect(isCancelledReason('worker stopped before the job finished')).toBe(false);
    expect(isCancelledReason(undefined)).toBe(false);
    expect(statusFromState('failed', 'worker stopped before the job finished')).toBe('failed');
    expect(statusFromState('failed', null)).toBe('failed');
    expect(statusFromState('completed', cancelledReason())).toBe('completed');
  });
});

describe('parseControlMessage', () => {
  it('reads a cancel and refuses anything else', () => {
    expect(parseControlMessage('{"type":"cancel","jobId":"12","reason":"Cancelled: x"}')).toEqual({
      type: 'cancel',
      jobId: '12',
      reason: 'Cancelled: x',
    });
    expect(parseControlMessage('{"type":"cancel","jobId":"a}b","reason":"x"}')).toBeUndefined();
    expect(parseControlMessage('{"type":"pause"}')).toBeUndefined();
    expect(parseControlMessage('not json')).toBeUndefined();
  });
});
