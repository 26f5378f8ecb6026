import type { LogLevel } from '@headway/progress/client';
import { describe, expect, it } from 'vitest';
import { type LogLine, LogModel } from './log-model.ts';

const levels: LogLevel[] = ['info', 'info', 'warn', 'error', 'debug'];
const line = (i: number): LogLine => ({
  id: `${i}-0`,
  event: {
    kind: 'log',
    jobId: 'j',
    attempt: 1,
    seq: i + 1,
    ts: '2026-11-24T10:00:00.000Z',
    level: levels[i % 5]!,
    stage: i % 2 ? 'judge' : 'deep_review',
    message: `line ${i}`,
  },
});
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k));

/** A model fed the same lines all at once, to compare an incremental one with. */
function fresh(all: LogLine[], dropped: number, filter = {}) {
  const model = new LogModel();
  model.setFilter(filter);
  model.sync(all, dropped);
  return model;
}

describe('log model', () => {
  it('reads appended lines once and counts them as a full pass would', () => {
    const model = new LogModel();
    model.setFilter({ level: 'error' });
    let all = lines(0, 40);
    model.sync(all, 0);
    all = all.concat(lines(40, 100));
    model.sync(all, 0);
    const full = fresh(all, 0, { level: 'error' });
    expect(model.items).toEqual(full.items);
    expect(model.items).toHaveLength(20);
    expect(model.counts).toEqual(full.counts);
    expect(model.counts.levels.get('warn')).toBe(20);
  });

  it('takes dropped lines out of the shown lines and the counts', () => {
    const model = new LogModel();
    model.setFilter({ stage: 'judge' });
    model.sync(lines(0, 100), 0);
    // The job view keeps the newest 60 of 130.
    const kept = lines(0, 130).slice(-60);
    model.sync(kept, 70);
    const full = fresh(kept, 70, { stage: 'judge' });
    expect(model.items).toEqual(full.items);
    expect(model.items[0]).toBe(71);
    expect(model.counts).toEqual(full.counts);
    expect(model.line(71)?.id).toBe('71-0');
    expect(model.text(129)).toBe('line 129');
  });

  it('starts again when the lines are another job’s', () => {
    const model = new LogModel();
    model.sync(lines(0, 10), 0);
    const other = lines(0, 3).map((l) => ({ ...l, id: `x${l.id}` }));
    model.sync(other, 0);
    expect(model.items).toEqual([0, 1, 2]);
    expect(model.counts.matched).toBe(3);
    expect(model.find('x1-0')).toBe(1);
  });

  it('applies a new filter to every line and reports how long it took', () => {
    const model = fresh(lines(0, 1000), 0);
    const ms = model.setFilter({ q: '/line \\d*7$/' });
    expect(model.items).toHaveLength(100);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(() => model.setFilter({ q: '/(a)\\1/' })).toThrow(/back-references/);
  });

  // Lines on which a large pattern keeps RE2's DFA from caching: each costs it tens of ms.
  let seed = 7;
  const randomAb = () =>
    Array.from({ length: 8000 }, () => ((seed = (seed * 1103515245 + 12345) % 2147483648) < 1 << 30 ? 'a' : 'b')).join('');
  const slowLines = (from: number, to: number) =>
    lines(from, to).map((l) => ({ ...l, event: { ...l.event, message: randomAb() } as LogLine['event'] }));
  const SLOW = '/a[ab]{120}$/';

  it('drops a search that runs past its budget, showing every line and saying why', () => {
    const model = new LogModel({ searchBudgetMs: 50 });
    model.sync(slowLines(0, 100), 0);
    const started = performance.now();
    model.setFilter({ level: 'info', q: SLOW });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(model.searchStopped).toBe('it took longer than 0.05 s over 100 lines; make it narrower');
    expect(model.filter.filter).toEqual({ level: 'info', q: undefined });
    expect(model.items).toEqual(fresh(slowLines(0, 100), 0, { level: 'info' }).items);
    model.setFilter({ q: 'line' });
    expect(model.searchStopped).toBeUndefined();
  });

  it('drops a search that new lines take past its budget', () => {
    const model = new LogModel({ searchBudgetMs: 50 });
    model.setFilter({ q: SLOW });
    const all = lines(0, 5);
    model.sync(all, 0);
    expect(model.searchStopped).toBeUndefined();
    expect(model.items).toEqual([]);
    model.sync(all.concat(slowLines(5, 105)), 0);
    expect(model.searchStopped).toBe('it took longer than 0.05 s over 105 lines; make it narrower');
    expect(model.filter.query).toBeUndefined();
    expect(model.items).toHaveLength(105);
    expect(model.text(104)).toHaveLength(8000);
  });
});
