import { describe, expect, it } from 'vitest';
import { parseDelimited } from './csv.ts';

describe('parseDelimited', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    const text = 'name,note\r\n"Smith, J.","said ""hi""\nthen left"\nplain,\n';
    expect(parseDelimited(text, ',', 1000)).toEqual({
      rows: [
        ['name', 'note'],
        ['Smith, J.', 'said "hi"\nthen left'],
        ['plain', ''],
      ],
      more: false,
    });
  });

  it('reads tab-separated values, and a last line without a newline', () => {
    expect(parseDelimited('a\tb\n1\t"2\t3"', '\t', 1000).rows).toEqual([
      ['a', 'b'],
      ['1', '2\t3'],
    ]);
  });

  it('stops at the row cap and says more rows were left out', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${i},x`).join('\n');
    const table = parseDelimited(text, ',', 1000);
    expect(table.rows).toHaveLength(1000);
    expect(table.rows.at(-1)).toEqual(['999', 'x']);
    expect(table.more).toBe(true);
    expect(parseDelimited('a\nb\n', ',', 2)).toEqual({ rows: [['a'], ['b']], more: false });
  });

  it('drops a last row that a cut preview may have split', () => {
    expect(parseDelimited('a,b\n1,2\n3,"unfinis', ',', 1000, true)).toEqual({
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
      more: true,
    });
  });
});
