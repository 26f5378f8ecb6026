import { describe, expect, it } from 'vitest';
import { compileQuery, LogQueryError, MAX_PATTERN_SIZE, MAX_SEARCHED_CHARS } from './log-query.ts';

const query = (q: string) => compileQuery(q)!;
/** A line as long as a command may print (64 KB), of the letter the patterns below trip over. */
const LONG = 'a'.repeat(64 * 1024);

describe('log query', () => {
  // Each of these backtracks for minutes or more on a backtracking engine over LONG (or was
  // refused by the old shape rules); on RE2 each is one pass over the searched part of the line.
  // How fast is `npm run bench -- search`; here, that each ran and answered right.
  it.each([
    ['/.*.*.*.*.*x/', false],
    ['/.*.*.*.*.*.*.*.*.*.*x/', false],
    ['/(a+)+$/', true],
    ['/(a+)+b/', false],
    ['/(a|aa)+b/', false],
    ['/(a|aa)+$/', true],
    ['/(.*a){20}/', true],
    ['/(.*a){20}b/', false],
    ['/([a-z]+)*$/', true],
    ['/(\\w+\\s?)*$/', true],
    ['/^(\\w+\\s?)*!$/', false],
    ['/(a|a?)+b/i', false],
    ['/^(a?){20}a{20}$/', false],
  ])('runs %s over a 64 KB line in one pass (matches: %s)', (q, matches) => {
    const search = query(q);
    expect(search.isRegex).toBe(true);
    expect(search.test(LONG)).toBe(matches);
    expect(search.ranges(LONG).length > 0).toBe(matches);
  });

  it('marks the matches of a pattern that would backtrack, within the searched part of the line', () => {
    expect(query('/(a|aa)+$/').ranges(LONG)).toEqual([[0, MAX_SEARCHED_CHARS]]);
    expect(query('/(a+)+!/').ranges(`aaa! b aa!${LONG}`)).toEqual([
      [0, 4],
      [7, 10],
    ]);
  });

  it('searches only the first MAX_SEARCHED_CHARS characters of a line, as if it ended there', () => {
    const early = `${'a'.repeat(MAX_SEARCHED_CHARS - 1)}x${LONG}`;
    const late = `${'a'.repeat(MAX_SEARCHED_CHARS)}x`;
    for (const q of ['x', 'X', '/x/', '/a+x/', '/X/i']) {
      expect(query(q).test(early), q).toBe(true);
      expect(query(q).test(late), q).toBe(false);
      expect(query(q).ranges(late), q).toEqual([]);
    }
    expect(query('/x/').ranges(early)).toEqual([[MAX_SEARCHED_CHARS - 1, MAX_SEARCHED_CHARS]]);
    expect(query('/a$/').test(late)).toBe(true);
  });

  it('marks ranges in UTF-16 positions, case-insensitively with i, skipping empty matches', () => {
    expect(query('/a+b/').ranges('xaab ab AB')).toEqual([
      [1, 4],
      [5, 7],
    ]);
    expect(query('/a+b/i').ranges('xaab ab AB')).toEqual([
      [1, 4],
      [5, 7],
      [8, 10],
    ]);
    expect(query('/x*/').ranges('axxb')).toEqual([[1, 3]]);
    expect(query('/time/i').ranges('😀 TIME: time')).toEqual([
      [3, 7],
      [9, 13],
    ]);
    expect(query('/claim (?P<n>\\d+)/').ranges('claim 12, claim 3')).toEqual([
      [0, 8],
      [10, 17],
    ]);
    expect(query('/b/').ranges('b'.repeat(500), 3)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('finds text in any case, with every character taken literally', () => {
    const text = query('A.b(*');
    expect(text.isRegex).toBe(false);
    expect(text.test('xa.B(*y')).toBe(true);
    expect(text.test('xaxb(*y')).toBe(false);
    expect(text.ranges('a.b(* and A.B(*')).toEqual([
      [0, 5],
      [10, 15],
    ]);
    expect(query('(a+)+$').test(LONG)).toBe(false);
    expect(query('/unclosed').test('a /unclosed regex')).toBe(true);
  });

  it('refuses back-references and lookarounds, saying the engine cannot run them', () => {
    for (const q of ['/(x)\\1/', '/(?<n>x)\\k<n>/', '/(a)(b)\\2/i']) {
      expect(() => compileQuery(q), q).toThrow(LogQueryError);
      expect(() => compileQuery(q), q).toThrow(
        /^back-references \(\\1, \\k<name>\) are not supported: searches run on a linear-time engine \(RE2\)$/,
      );
    }
    for (const q of ['/a(?=b)/', '/a(?!b)/', '/(?<=a)b/', '/(?<!a)b/']) {
      expect(() => compileQuery(q), q).toThrow(
        /^lookarounds \(\(\?=…\), \(\?!…\), \(\?<=…\), \(\?<!…\)\) are not supported: searches run on a linear-time engine \(RE2\)$/,
      );
    }
  });

  it('refuses a pattern too large to bound, bad syntax, other flags and long queries, saying why', () => {
    expect(() => compileQuery('/\\w{1000}/')).toThrow(
      new LogQueryError(
        `this pattern is too large: it compiles to 1002 steps, more than ${MAX_PATTERN_SIZE} (a count such as {100} repeats what it follows)`,
      ),
    );
    expect(() => compileQuery('/(.*a){100}/')).toThrow(/too large/);
    expect(query(`/${'x'.repeat(120)}/`).isRegex).toBe(true);
    expect(() => compileQuery(`/${'x'.repeat(197)}/`)).toThrow(/too large: it compiles to 199 steps/);
    expect(() => compileQuery('/[a-/')).toThrow(new LogQueryError('invalid regular expression: missing closing ]: `[a-`'));
    expect(() => compileQuery('/a**/')).toThrow(/^invalid regular expression: /);
    expect(() => compileQuery('/a/g')).toThrow(new LogQueryError('only the i flag is allowed, not "g"'));
    expect(() => compileQuery('x'.repeat(201))).toThrow(new LogQueryError('longer than 200 characters'));
    expect(compileQuery('')).toBeUndefined();
  });
});
