import { describe, expect, it } from 'vitest';
import { markRanges, relativeTime } from './line-text.ts';

describe('markRanges', () => {
  it('splits coloured segments where matches start and end, across segment borders', () => {
    const segments = [
      { text: 'error: ', classes: 'fg-1' },
      { text: 'disk full', classes: '' },
    ];
    expect(markRanges(segments, [[5, 11]])).toEqual([
      { text: 'error', classes: 'fg-1', mark: false },
      { text: ': ', classes: 'fg-1', mark: true },
      { text: 'disk', classes: '', mark: true },
      { text: ' full', classes: '', mark: false },
    ]);
  });

  it('marks several matches in one segment and leaves text without matches whole', () => {
    expect(
      markRanges(
        [{ text: 'a-b-a', classes: '' }],
        [
          [0, 1],
          [4, 5],
        ],
      ).map((s) => [s.text, s.mark]),
    ).toEqual([
      ['a', true],
      ['-b-', false],
      ['a', true],
    ]);
    expect(markRanges([{ text: 'plain', classes: '' }], [])).toEqual([{ text: 'plain', classes: '', mark: false }]);
  });
});

describe('relativeTime', () => {
  it('counts from the first line in minutes, seconds and tenths, or hours past an hour', () => {
    expect(relativeTime('2026-11-24T10:01:05.250Z', '2026-11-24T10:00:00.000Z')).toBe('+1:05.2');
    expect(relativeTime('2026-11-24T12:03:04.000Z', '2026-11-24T10:00:00.000Z')).toBe('+2:03:04');
  });
});
