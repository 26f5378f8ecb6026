// The log search: text (any case) or `/regex/` (`/regex/i` for any case). A pattern that could
// backtrack for ever is refused before it runs: nested or too many repetitions (safe-regex2, the
// star-height check Fastify uses), alternatives under a repetition, and back-references.
import safeRegex from 'safe-regex2';

export const MAX_QUERY_LENGTH = 200;

export interface TextQuery {
  /** What was typed. */
  readonly source: string;
  readonly isRegex: boolean;
  /** Whether the text contains a match. */
  test(text: string): boolean;
  /** `[start, end)` of each match, at most `max` of them (empty matches are skipped). */
  ranges(text: string, max?: number): Array<[number, number]>;
}

/** A search the log cannot run: its message says why, for the one who typed it. */
export class LogQueryError extends Error {
  override readonly name = 'LogQueryError';
}

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
const BACK_REFERENCE = /\\(?:[1-9]|k<)/;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');

/** The search for `q`, or undefined when there is nothing to search for; throws LogQueryError. */
export function compileQuery(q: string | undefined): TextQuery | undefined {
  if (!q) return undefined;
  if (q.length > MAX_QUERY_LENGTH) throw new LogQueryError(`longer than ${MAX_QUERY_LENGTH} characters`);
  const form = REGEX_FORM.exec(q);
  if (!form) return makeQuery(q, false, new RegExp(escapeRegex(q), 'i'));
  const [, pattern = '', flags = ''] = form;
  if (flags.replace('i', '') !== '') throw new LogQueryError(`only the i flag is allowed, not "${flags}"`);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    throw new LogQueryError(`invalid regular expression: ${(error as Error).message}`);
  }
  if (BACK_REFERENCE.test(pattern)) throw new LogQueryError('back-references are not allowed in a search');
  if (!safeRegex(pattern) || repeatsAlternatives(pattern)) {
    throw new LogQueryError('this pattern could take too long (repetition inside repetition, or alternatives under a repetition)');
  }
  return makeQuery(q, true, regex);
}

function makeQuery(source: string, isRegex: boolean, regex: RegExp): TextQuery {
  const all = new RegExp(regex.source, `${regex.flags}g`);
  return {
    source,
    isRegex,
    test: (text) => regex.test(text),
    ranges(text, max = 100) {
      const found: Array<[number, number]> = [];
      all.lastIndex = 0;
      for (let m = all.exec(text); m && found.length < max; m = all.exec(text)) {
        if (m[0].length === 0) {
          all.lastIndex++;
          continue;
        }
        found.push([m.index, m.index + m[0].length]);
      }
      return found;
    },
  };
}

/** Whether a group holding `|` is repeated (`(a|aa)+`): safe-regex2 lets these through. */
function repeatsAlternatives(pattern: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === '|' && groups.length > 0) groups[groups.length - 1] = true;
    else if (c === ')') {
      const alternates = groups.pop();
      if (alternates && /^[*+{]/.test(pattern.slice(i + 1))) return true;
      if (alternates && groups.length > 0) groups[groups.length - 1] = true;
    }
  }
  return false;
}
