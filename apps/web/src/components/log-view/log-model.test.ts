import type { LogLevel } from '@headway/progress';
import { describe, expect, it } from 'vitest';
import { type LogLine, LogModel } from './log-model.ts';

const levels: LogLevel[] = ['info', 'info', 'warn', 'error', 'debug'];
const line = (i: number): LogLine => ({
  id: `${i}-0`,
  event: { kind: 'log', jobId: 'j', attempt: 1, seq: i + 1, ts: '2026-11-24T10:00:00.000Z', level: levels[i % 5]!, stage: i % 2 ? 'judge' : 'deep_review', message: `line ${i}` },
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
    expect(() => model.setFilter({ q: '/(a+)+/' })).toThrow(/too long/);
  });
});
