// The log search: text (any case) or `/regex/` (`/regex/i` for any case). Its cost is bounded
// whatever is typed, rather than guessed from the pattern's shape: a regex runs on RE2 (re2js, pure
// JavaScript, so the browser runs the same search), whose time is linear in the text; only the
// first MAX_SEARCHED_CHARS of a line are searched; and a regex may compile to at most
// MAX_PATTERN_SIZE instructions. One line then costs at most their product in steps, whatever the
// pattern. Text stays on the native engine: escaped, it has nothing to backtrack over, and costs
// at most its length times the line's.
import { RE2JS } from 're2js';

export const MAX_QUERY_LENGTH = 200;
/** A line is searched (and its matches marked) in its first this many characters only. */
export const MAX_SEARCHED_CHARS = 16_384;
/**
 * RE2 instructions a `/regex/` may compile to (about one a character, a class or a repetition;
 * `x{50}` counts 50 times). With MAX_SEARCHED_CHARS it bounds the work of one line.
 */
export const MAX_PATTERN_SIZE = 128;
/** Marking a line's matches stops after this long (a long line, a pattern that matches often)… */
const RANGES_BUDGET_MS = 10;
/** …but never before this many are marked, so the first marks do not depend on how busy the machine is. */
const RANGES_ALWAYS = 10;

export interface TextQuery {
  /** What was typed. */
  readonly source: string;
  readonly isRegex: boolean;
  /** Whether the line's first MAX_SEARCHED_CHARS characters contain a match. */
  test(text: string): boolean;
  /** `[start, end)` of each match in the first MAX_SEARCHED_CHARS characters, at most `max` of them (empty matches are skipped). */
  ranges(text: string, max?: number): Array<[number, number]>;
}

/** A search the log cannot run: its message says why, for the one who typed it. */
export class LogQueryError extends Error {
  override readonly name = 'LogQueryError';
}

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
const BACK_REFERENCE = /\\(?:[1-9]|k<)/;
const LOOKAROUND = /\(\?<?[=!]/;
const LINEAR = 'searches run on a linear-time engine (RE2)';
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const searched = (text: string) => (text.length > MAX_SEARCHED_CHARS ? text.slice(0, MAX_SEARCHED_CHARS) : text);

/** The search for `q`, or undefined when there is nothing to search for; throws LogQueryError. */
export function compileQuery(q: string | undefined): TextQuery | undefined {
  if (!q) return undefined;
  if (q.length > MAX_QUERY_LENGTH) throw new LogQueryError(`longer than ${MAX_QUERY_LENGTH} characters`);
  const form = REGEX_FORM.exec(q);
  if (!form) return textQuery(q);
  const [, pattern = '', flags = ''] = form;
  if (flags.replace('i', '') !== '') throw new LogQueryError(`only the i flag is allowed, not "${flags}"`);
  return regexQuery(q, compileRegex(pattern, flags === 'i'));
}

function compileRegex(pattern: string, anyCase: boolean): RE2JS {
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, anyCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    if (BACK_REFERENCE.test(pattern)) throw new LogQueryError(`back-references (\\1, \\k<name>) are not supported: ${LINEAR}`);
    if (LOOKAROUND.test(pattern)) throw new LogQueryError(`lookarounds ((?=…), (?!…), (?<=…), (?<!…)) are not supported: ${LINEAR}`);
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new LogQueryError(`invalid regular expression: ${reason}`);
  }
  const size = regex.programSize();
  if (size > MAX_PATTERN_SIZE) {
    throw new LogQueryError(
      `this pattern is too large: it compiles to ${size} steps, more than ${MAX_PATTERN_SIZE} (a count such as {100} repeats what it follows)`,
    );
  }
  return regex;
}

function textQuery(text: string): TextQuery {
  const regex = new RegExp(escapeRegex(text), 'i');
  const all = new RegExp(regex.source, 'gi');
  return {
    source: text,
    isRegex: false,
    test: (line) => regex.test(searched(line)),
    ranges(line, max = 100) {
      const found: Array<[number, number]> = [];
      const within = searched(line);
      all.lastIndex = 0;
      for (let m = all.exec(within); m && found.length < max; m = all.exec(within)) found.push([m.index, m.index + m[0].length]);
      return found;
    },
  };
}

function regexQuery(source: string, regex: RE2JS): TextQuery {
  return {
    source,
    isRegex: true,
    test: (line) => regex.test(searched(line)),
    ranges(line, max = 100) {
      const found: Array<[number, number]> = [];
      const started = performance.now();
      const matcher = regex.matcher(searched(line));
      while (found.length < max && matcher.find()) {
        if (matcher.end() > matcher.start()) found.push([matcher.start(), matcher.end()]);
        // Each find is linear in the rest of the line, but a line may hold thousands of them.
        if (found.length >= RANGES_ALWAYS && performance.now() - started > RANGES_BUDGET_MS) break;
      }
      return found;
    },
  };
}
