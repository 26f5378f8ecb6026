import { describe, expect, it } from 'vitest';
import type { JobEvent } from './events.ts';
import {
  compileLogFilter,
  countLine,
  emptyFacets,
  type LineFacts,
  LineReader,
  type LogFilter,
  LogQueryError,
  plainText,
  textLine,
} from './log-filter.ts';

let seq = 0;
const base = (attempt = 1) => ({ jobId: 'j', attempt, ts: '2026-11-24T10:00:00.000Z', seq: ++seq });
const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, stage?: string, attempt = 1): JobEvent => ({
  kind: 'log',
  ...base(attempt),
  level,
  message,
  ...(stage && { stage }),
});
const progress = (
  stage: string,
  phase: 'starting' | 'running' | 'complete' | 'error',
  message: string,
  iteration?: number,
  attempt = 1,
): JobEvent => ({
  kind: 'progress',
  ...base(attempt),
  stage,
  phase,
  message,
  percentage: 10,
  ...(iteration && { iteration }),
});

const history: JobEvent[] = [
  { kind: 'status', ...base(), status: 'active' },
  progress('judge', 'starting', 'Judging claims'),
  log('info', 'claim 1 supported', 'judge'),
  log('warn', '\x1b[33mclaim 2 unsupported\x1b[0m', 'judge'),
  progress('gap_analysis', 'starting', 'Looking for gaps'),
  progress('gap_analysis', 'running', 'Starting iteration 1', 1),
  log('info', 'query widened with timeout', 'gap_analysis'),
  progress('gap_analysis', 'running', 'Starting iteration 2', 2),
  log('error', 'search TIMEOUT after 30 s', 'gap_analysis'),
  log('debug', 'retrying search', 'gap_analysis'),
  progress('gap_analysis', 'complete', 'Gaps found'),
  { kind: 'status', ...base(), status: 'failed', reason: 'timeout in gap analysis' },
];

function read(events: JobEvent[]): LineFacts[] {
  const reader = new LineReader();
  return events.map((e) => reader.facts(e));
}

const kept = (filter: LogFilter) => {
  const compiled = compileLogFilter(filter);
  return read(history).flatMap((f, i) => (compiled.matches(f) ? [i] : []));
};

describe('log filter', () => {
  it('finds text in any case, and not in the colour codes', () => {
    expect(kept({ q: 'timeout' })).toEqual([6, 8, 11]);
    expect(kept({ q: '33m' })).toEqual([]);
    expect(kept({ q: 'claim 2 unsupported' })).toEqual([3]);
  });

  it('runs /regex/ as written, and /regex/i in any case', () => {
    expect(kept({ q: '/claim \\d supported/' })).toEqual([2]);
    expect(kept({ q: '/^search TIME/' })).toEqual([8]);
    expect(kept({ q: '/^search time/' })).toEqual([]);
    expect(kept({ q: '/^search time/i' })).toEqual([8]);
  });

  it('keeps one level, counting failed jobs and progress errors as errors', () => {
    expect(kept({ level: 'error' })).toEqual([8, 11]);
    expect(kept({ level: 'warn' })).toEqual([3]);
  });

  it('gives log lines the iteration their stage last reported, and applies every filter at once', () => {
    const facts = read(history);
    expect(facts.map((f) => f.iteration)).toEqual([undefined, undefined, undefined, undefined, undefined, 1, 1, 2, 2, 2, 2, undefined]);
    expect(kept({ iteration: 2 })).toEqual([7, 8, 9, 10]);
    expect(kept({ stage: 'gap_analysis', iteration: 2, level: 'info' })).toEqual([7, 10]);
    expect(kept({ stage: 'judge', q: 'claim', kind: 'log' })).toEqual([2, 3]);
  });

  it('forgets iterations when a new attempt starts', () => {
    const facts = read([progress('gap_analysis', 'running', 'it 3', 3), log('info', 'x', 'gap_analysis', 2)]);
    expect(facts[1]!.iteration).toBeUndefined();
  });

  it('counts, for each option of each filter, the lines that option would keep', () => {
    const compiled = compileLogFilter({ stage: 'gap_analysis', q: 'i' });
    const counts = emptyFacets();
    for (const f of read(history)) countLine(counts, f, compiled.mask(f));
    const matching = kept({ stage: 'gap_analysis', q: 'i' });
    expect(counts.matched).toBe(matching.length);
    // Per level: as if the level were chosen with the same stage and text.
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      expect(counts.levels.get(level) ?? 0).toBe(kept({ stage: 'gap_analysis', q: 'i', level }).length);
    }
    expect(counts.stages.get('judge')).toBe(kept({ stage: 'judge', q: 'i' }).length);
    expect(counts.anyStage).toBe(kept({ q: 'i' }).length);
    expect(counts.iterations.get(1)).toBe(kept({ stage: 'gap_analysis', q: 'i', iteration: 1 }).length);
  });

  it('refuses back-references, lookarounds and bad syntax, saying why, and runs patterns that would backtrack', () => {
    for (const q of ['/(x)\\1/', '/a(?=b)/', '/[a-/', '/a/g']) {
      expect(() => compileLogFilter({ q }), q).toThrow(LogQueryError);
    }
    expect(() => compileLogFilter({ q: '/(x)\\1/' })).toThrow(/back-references/);
    expect(() => compileLogFilter({ q: '/[a-/' })).toThrow(/invalid regular expression/);
    expect(() => compileLogFilter({ q: 'x'.repeat(201) })).toThrow(/longer than 200/);
    expect(kept({ q: '/(\\w+\\s?)*$/' })).toEqual(kept({}));
    // Text is never a pattern, whatever it holds.
    expect(kept({ q: '(a+)+' })).toEqual([]);
  });

  it('finds the ranges to highlight, skipping empty matches', () => {
    const { query } = compileLogFilter({ q: 'Time' });
    expect(query!.ranges('time out, TIMEOUT')).toEqual([
      [0, 4],
      [10, 14],
    ]);
    expect(compileLogFilter({ q: '/x*/' }).query!.ranges('axxb')).toEqual([[1, 3]]);
  });
});

describe('log text', () => {
  it('drops controls and escape sequences but keeps tabs, new lines and, when asked, colour', () => {
    const raw = 'a\x1b[31mred\x1b[0m\tb\x1b]8;;javascript:alert(1)\x07link\x1b]8;;\x07\x07\x08\ncursor\x1b[2K';
    expect(plainText(raw)).toBe('ared\tblink\ncursor');
    expect(plainText(raw, { keepColor: true })).toBe('a\x1b[31mred\x1b[0m\tblink\ncursor');
    const same = 'nothing to strip';
    expect(plainText(same)).toBe(same);
  });

  it('writes a .txt line with time, stage and level, and no colour codes', () => {
    expect(textLine({ id: '1-0', event: history[3]! })).toBe('2026-11-24T10:00:00.000Z [judge] WARN claim 2 unsupported');
    expect(textLine({ id: '1-1', event: history[11]! })).toBe('2026-11-24T10:00:00.000Z ERROR Job failed: timeout in gap analysis');
  });
});
