import type { LogEvent, StageSpec } from '@headway/progress/client';
import { createJobView, type JobView } from '@headway/progress/client';
import { describe, expect, it } from 'vitest';
import { clock, logLine, missingLine, percent, stageLine, statusLine, summaryLine } from './job-lines.ts';

const stages: StageSpec[] = [
  { name: 'judge', label: 'Judge validation', weight: 40 },
  { name: 'gap_analysis', label: 'Gap analysis', weight: 60, loops: true, expectedIterations: 3 },
];
const ts = new Date(2026, 10, 24, 9, 5, 7).toISOString();
const log = (over: Partial<LogEvent> = {}): LogEvent => ({
  kind: 'log',
  jobId: '1',
  attempt: 1,
  seq: 1,
  ts,
  level: 'info',
  message: 'hello',
  ...over,
});
const view = (over: Partial<JobView> = {}): JobView => ({ ...createJobView(stages, 'active'), ...over });
const visibleLength = (text: string) => [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;

describe('job lines', () => {
  it('prints a log line as time, level, stage and message', () => {
    expect(clock(ts)).toBe('09:05:07');
    expect(logLine(log({ stage: 'judge', level: 'warn', message: 'c6 unsupported' }), false)).toBe('09:05:07 WARN  [judge] c6 unsupported');
    expect(logLine(log(), false)).toBe('09:05:07 INFO  hello');
  });

  it('indents the further lines of a message and strips what could move the cursor', () => {
    expect(logLine(log({ message: 'one\r\ntwo\x1b[2A\n' }), false)).toBe(`09:05:07 INFO  one\n${' '.repeat(15)}two`);
  });

  it('lets a log line keep its colour only when colour is on', () => {
    const message = '\x1b[32mok\x1b[39m';
    expect(logLine(log({ message }), false)).toBe('09:05:07 INFO  ok');
    expect(logLine(log({ message }), true)).toContain(`${message}\x1b[0m`);
  });

  it('says 100 % only once the job has completed', () => {
    expect(percent({ percentage: 99.9, status: 'active' })).toBe('99 %');
    expect(percent({ percentage: 100, status: 'active' })).toBe('99 %');
    expect(percent({ percentage: 97, status: 'completed' })).toBe('100 %');
  });

  it('names a stage with its label and place, and its iterations', () => {
    const v = view({ percentage: 40, stage: 'gap_analysis' });
    expect(stageLine(ts, 'gap_analysis', stages, v, { kind: 'started' }, false)).toBe(
      '09:05:07 ── gap_analysis · Gap analysis (2/2) · 40 %',
    );
    expect(stageLine(ts, 'gap_analysis', stages, v, { kind: 'iteration', iteration: 2 }, false)).toBe(
      '09:05:07    gap_analysis iteration 2 · 40 %',
    );
    expect(stageLine(ts, 'judge', stages, v, { kind: 'failed', message: 'boom\nbang' }, false)).toBe(
      '09:05:07 ── judge · Judge validation (1/2) failed: boom bang',
    );
    expect(stageLine(ts, 'other', stages, v, { kind: 'skipped' }, false)).toBe('09:05:07 ── other skipped');
  });

  it('says a stage runs slower than usual with its usual band, in yellow when colour is on', () => {
    const v = view({ percentage: 40, stage: 'judge' });
    expect(stageLine(ts, 'judge', stages, v, { kind: 'slow', band: { low: 20.2, high: 34.6 } }, false)).toBe(
      '09:05:07    judge slower than usual (usually 20–35 s)',
    );
    expect(stageLine(ts, 'judge', stages, v, { kind: 'slow', band: { low: 90, high: 210 } }, true)).toContain(
      '\x1b[33mslower than usual (usually 1 min 30 s – 3 min 30 s)\x1b[39m',
    );
  });

  it('draws the status line with bar, percentage, stage, iteration and ETA', () => {
    const v = view({ percentage: 50, stage: 'gap_analysis', eta: { seconds: 180, low: 120, high: 300, basis: 'history' } });
    v.stages = v.stages.map((s) => (s.name === 'gap_analysis' ? { ...s, iteration: 2 } : s));
    const line = statusLine(v, stages, { width: 200, color: false });
    expect(line).toBe(`${'█'.repeat(15)}${'░'.repeat(15)}  50 %  Gap analysis (2/2) · iteration 2 · about 3 min left (2 min – 5 min)`);
    expect(statusLine(v, stages, { width: 200, color: false, reconnecting: true })).toMatch(/ · reconnecting…$/);
    expect(statusLine(undefined, stages, { width: 80, color: false })).toMatch(/connecting…$/);
  });

  it('never draws a status line as wide as the terminal, so it cannot wrap', () => {
    const v = view({ percentage: 50, stage: 'gap_analysis', eta: { seconds: 180, low: 120, high: 300, basis: 'history' } });
    for (const width of [20, 40, 60]) {
      expect(visibleLength(statusLine(v, stages, { width, color: true }))).toBeLessThan(width);
    }
  });

  it('sums the job up: completed, or where and why it failed', () => {
    expect(summaryLine('42', view({ status: 'completed', percentage: 100 }), 12.3, false)).toBe('✔ job 42 completed · 100 % in 12 s');
    expect(summaryLine('42', view({ status: 'failed', percentage: 37.5, stage: 'judge', reason: 'no\npapers' }), 3, false)).toBe(
      '✘ job 42 failed at 37 % in judge after 3 s: no papers',
    );
    expect(summaryLine('42', view({ status: 'cancelled', percentage: 5 }), undefined, false)).toBe('✘ job 42 cancelled at 5 %');
  });

  it('counts events that could not be replayed', () => {
    expect(missingLine(1)).toBe('⚠ 1 event could not be replayed');
    expect(missingLine(3)).toBe('⚠ 3 events could not be replayed');
  });
});
