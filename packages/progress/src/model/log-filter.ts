// Which lines of a job's log a filter keeps, and how many each choice of level, stage and
// iteration would keep: the one function behind `GET /api/jobs/:id/events`, the log download and
// the browser's log viewer, so their counts agree.
import { type Static, Type as t } from '@sinclair/typebox';
import { type JobEvent, LogLevel } from './events.ts';
import { compileQuery, MAX_PATTERN_SIZE, MAX_QUERY_LENGTH, MAX_SEARCHED_CHARS, type TextQuery } from './log-query.ts';
import { eventLevel, eventMessage, eventStage, plainText } from './log-text.ts';

export { compileQuery, LogQueryError, MAX_PATTERN_SIZE, MAX_QUERY_LENGTH, MAX_SEARCHED_CHARS, type TextQuery } from './log-query.ts';
export * from './log-text.ts';

export const EventKind = t.Union([t.Literal('progress'), t.Literal('log'), t.Literal('status'), t.Literal('artifact')]);
export type EventKind = Static<typeof EventKind>;

/** The filters, as query parameters (numbers as `t.Number`: Elysia coerces query strings only to numbers). */
export const LogFilter = t.Object({
  kind: t.Optional(EventKind),
  level: t.Optional(LogLevel),
  stage: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  iteration: t.Optional(
    t.Number({ minimum: 1, maximum: 1_000_000, multipleOf: 1, description: 'Lines of that iteration of a looping stage' }),
  ),
  q: t.Optional(
    t.String({
      maxLength: MAX_QUERY_LENGTH,
      description:
        `Text (any case), or /regex/ (/regex/i for any case) in RE2 syntax, which runs in time linear in the text: ` +
        `no back-references or lookarounds, and at most ${MAX_PATTERN_SIZE} compiled steps. ` +
        `Only the first ${MAX_SEARCHED_CHARS.toLocaleString('en-US')} characters of each line are searched.`,
    }),
  ),
});
export type LogFilter = Static<typeof LogFilter>;

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** What a filter looks at in a line. */
export interface LineFacts {
  kind: EventKind;
  level: LogLevel;
  stage?: string;
  /** The iteration of a looping stage the line belongs to. */
  iteration?: number;
  /** The message as plain text (colour codes and controls removed). */
  text: string;
}

/**
 * Reads lines in order and tells each one's facts. A log line has no iteration of its own: it
 * belongs to the iteration its stage's progress last reported (in the same attempt).
 */
export class LineReader {
  #attempt = 0;
  readonly #iterations = new Map<string, number>();

  facts(event: JobEvent): LineFacts {
    if (event.attempt !== this.#attempt) {
      this.#attempt = event.attempt;
      this.#iterations.clear();
    }
    const stage = eventStage(event);
    if (event.kind === 'progress') {
      if (event.phase === 'starting') this.#iterations.delete(event.stage);
      if (event.iteration !== undefined) this.#iterations.set(event.stage, event.iteration);
    }
    return {
      kind: event.kind,
      level: eventLevel(event),
      stage,
      iteration: stage === undefined ? undefined : this.#iterations.get(stage),
      text: plainText(eventMessage(event)),
    };
  }
}

/** One bit a criterion: a line passes the filter when `mask(facts) === ALL_CRITERIA`. */
export const Criterion = { kind: 1, level: 2, stage: 4, iteration: 8, q: 16 } as const;
export const ALL_CRITERIA = 31;

export interface CompiledLogFilter {
  readonly filter: LogFilter;
  readonly query?: TextQuery;
  /** Which criteria the line meets (an unset criterion is always met). */
  mask(facts: LineFacts): number;
  matches(facts: LineFacts): boolean;
}

/** Throws LogQueryError when `q` is not a search the log can run. */
export function compileLogFilter(filter: LogFilter): CompiledLogFilter {
  const query = compileQuery(filter.q);
  const { kind, level, stage, iteration } = filter;
  const mask = (f: LineFacts): number =>
    (kind === undefined || f.kind === kind ? Criterion.kind : 0) |
    (level === undefined || f.level === level ? Criterion.level : 0) |
    (stage === undefined || f.stage === stage ? Criterion.stage : 0) |
    (iteration === undefined || f.iteration === iteration ? Criterion.iteration : 0) |
    (query === undefined || query.test(f.text) ? Criterion.q : 0);
  return { filter, query, mask, matches: (f) => mask(f) === ALL_CRITERIA };
}

/**
 * How many lines pass, and for each level, stage and iteration how many would pass were that the
 * choice (every other criterion kept): the numbers beside each filter's options.
 */
export interface FacetCounts {
  matched: number;
  /** Lines passing every criterion but the level, whatever their level. */
  anyLevel: number;
  anyStage: number;
  anyIteration: number;
  levels: Map<LogLevel, number>;
  stages: Map<string, number>;
  iterations: Map<number, number>;
}

export const emptyFacets = (): FacetCounts => ({
  matched: 0,
  anyLevel: 0,
  anyStage: 0,
  anyIteration: 0,
  levels: new Map(),
  stages: new Map(),
  iterations: new Map(),
});

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const count = (map.get(key) ?? 0) + by;
  if (count > 0) map.set(key, count);
  else map.delete(key);
}

/** Counts one line whose `mask` was computed by the filter (`by = -1` takes a dropped line out). */
export function countLine(counts: FacetCounts, facts: LineFacts, mask: number, by = 1): void {
  if (mask === ALL_CRITERIA) counts.matched += by;
  if ((mask | Criterion.level) === ALL_CRITERIA) {
    counts.anyLevel += by;
    bump(counts.levels, facts.level, by);
  }
  if ((mask | Criterion.stage) === ALL_CRITERIA) {
    counts.anyStage += by;
    if (facts.stage !== undefined) bump(counts.stages, facts.stage, by);
  }
  if ((mask | Criterion.iteration) === ALL_CRITERIA) {
    counts.anyIteration += by;
    if (facts.iteration !== undefined) bump(counts.iterations, facts.iteration, by);
  }
}

/** Whether the filter has anything set (an empty `q` counts as unset). */
export const isFiltering = (filter: LogFilter): boolean =>
  filter.kind !== undefined || filter.level !== undefined || filter.stage !== undefined || filter.iteration !== undefined || !!filter.q;
