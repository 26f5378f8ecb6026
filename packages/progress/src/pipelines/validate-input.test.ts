import { describe, expect, it } from 'vitest';
import { LiteratureReviewInput } from './literature-review.ts';
import { validateInput } from './validate-input.ts';

describe('validateInput', () => {
  it('fills the schema’s defaults', () => {
    const checked = validateInput(LiteratureReviewInput, {});
    expect(checked).toEqual({ ok: true, value: { runMode: 'DEEP_LOOP', pillarSelections: ['ALL'], maxIterations: 5, paceMs: 60 } });
  });

  it('names the field and the allowed values of an enum-like option', () => {
    const checked = validateInput(LiteratureReviewInput, { runMode: 'SOMETIMES' });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.problems[0]).toBe('/runMode: expected one of "ONCE", "DEEP_LOOP", got "SOMETIMES"');
  });

  it('names a nested field of the wrong type', () => {
    const checked = validateInput(LiteratureReviewInput, { corpus: { papers: [{ id: 1 }], claims: [], pillars: [] } });
    expect(!checked.ok && checked.problems.join('\n')).toMatch(/\/corpus\/papers\/0\/id/);
  });
});
