import { describe, expect, it } from 'vitest';
import { EtaErrorLog } from './eta-error.ts';

describe('EtaErrorLog', () => {
  it('measures, at 25 % and 50 % of the job’s time, the ETA then shown against the time really left', () => {
    const log = new EtaErrorLog();
    log.note(1, 50, 'none');
    log.note(5, 60, 'rate');
    log.note(20, 90, 'history');
    log.note(30, 60, 'history');
    log.note(55, 10, 'history');
    // 100 s in all: at 25 s the ETA shown (at 20 s) said 90 s, 80 were left → +10; at 50 s (shown at 30 s) 60 said, 70 left → −10.
    expect(log.errors(100)).toEqual({ at25: 10, at50: -10 });
  });

  it('leaves out a point before which no estimate had been shown, and says nothing with none at all', () => {
    const log = new EtaErrorLog();
    log.note(2, 5, 'none');
    expect(log.errors(10)).toBeUndefined();
    log.note(4, 4, 'rate');
    expect(log.errors(10)).toEqual({ at50: -2 });
  });
});
