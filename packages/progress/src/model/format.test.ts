import { describe, expect, it } from 'vitest';
import { describeEtaBasis, etaBasisLabel, formatDuration, formatEta, formatPreciseDuration, logLineOf } from './format.ts';

describe('format', () => {
  it('words an ETA with its range, or says it is still estimating', () => {
    expect(formatEta({ seconds: 180, low: 120, high: 300, basis: 'history' })).toBe('about 3 min left (2 min – 5 min)');
    expect(formatEta({ seconds: 0, low: 0, high: 0, basis: 'none' })).toBe('estimating…');
    expect(formatEta(undefined)).toBe('estimating…');
  });

  it('keeps tenths of a second only while they matter', () => {
    expect(formatPreciseDuration(0.04)).toBe('< 0.1 s');
    expect(formatPreciseDuration(4.24)).toBe('4.2 s');
    expect(formatPreciseDuration(12.4)).toBe(formatDuration(12.4));
  });

  it('names each basis', () => {
    expect(describeEtaBasis('history')).toMatch(/earlier runs/);
    expect(describeEtaBasis('rate')).toMatch(/own pace/);
    expect(describeEtaBasis('none')).toMatch(/Not enough progress/);
    expect(etaBasisLabel('none')).toBe('');
  });

  it('writes each kind of event as one log line for Bull Board', () => {
    const base = { jobId: '1', attempt: 2, ts: '2026-11-24T00:00:00.000Z', seq: 1 };
    expect(logLineOf({ ...base, kind: 'log', level: 'warn', stage: 'judge', message: 'slow paper' })).toBe('WARN [judge] slow paper');
    expect(logLineOf({ ...base, kind: 'log', level: 'info', message: 'hello' })).toBe('INFO hello');
    expect(logLineOf({ ...base, kind: 'progress', stage: 'judge', phase: 'running', message: 'Checked C1', percentage: 10 })).toBe(
      '[judge] Checked C1',
    );
    expect(logLineOf({ ...base, kind: 'status', status: 'retrying', reason: 'Back in the queue' })).toBe(
      'STATUS retrying: Back in the queue (attempt 2)',
    );
  });
});
