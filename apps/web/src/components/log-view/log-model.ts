// The log viewer's data: what the shared filter needs of each line, kept in typed arrays so a
// million lines stay small, the lines the filter keeps and the count beside each filter option.
// It follows the job view's array (oldest first, `dropped` lines gone before it) incrementally:
// new lines are read and counted once, dropped ones are taken out of the counts. A search that
// runs longer than its budget is dropped (the lines shown unsearched), so the page keeps answering.

import type { JobEvent } from '@headway/progress/client';
import {
  type CompiledLogFilter,
  compileLogFilter,
  countLine,
  emptyFacets,
  type FacetCounts,
  type LineFacts,
  LineReader,
  LOG_LEVELS,
  type LogFilter,
} from '@headway/progress/client';

export interface LogLine {
  id: string;
  event: JobEvent;
}

const KINDS = ['progress', 'log', 'status', 'artifact'] as const;
/**
 * The longest one change of search, or one batch of new lines, may spend searching. Each line's
 * search is bounded (see log-query.ts), but a hostile pattern over a million lines is not. An
 * ordinary /regex/ reads a million lines in about 0.2 to 1.5 s (`npm run bench -- search`).
 */
export const SEARCH_BUDGET_MS = 2000;

export class LogModel {
  /** The job view's lines; line `n` (counted from the job's first line) is `lines[n - dropped]`. */
  lines: readonly LogLine[] = [];
  dropped = 0;
  /** Numbers of the lines the filter keeps, in order. */
  items: number[] = [];
  counts: FacetCounts = emptyFacets();
  filter: CompiledLogFilter = compileLogFilter({});
  /** Stages in the order they first appeared. */
  readonly stageNames: string[] = [];
  /** Time of the first line read: relative times count from it. */
  origin = '';
  /** Why the search was dropped, when it ran past its budget (then `filter` has no `q`). */
  searchStopped?: string;

  #reader = new LineReader();
  #kind = new Uint8Array(1024);
  #level = new Uint8Array(1024);
  #stage = new Uint16Array(1024);
  #iteration = new Uint32Array(1024);
  #text: string[] = [];
  readonly #stageIds = new Map<string, number>();
  readonly #scratch: LineFacts = { kind: 'log', level: 'info', text: '' };
  readonly #budgetMs: number;

  constructor({ searchBudgetMs = SEARCH_BUDGET_MS } = {}) {
    this.#budgetMs = searchBudgetMs;
  }

  get length(): number {
    return this.lines.length;
  }

  line(n: number): LogLine | undefined {
    return this.lines[n - this.dropped];
  }

  /**
   * Applies a new filter to every line (throws LogQueryError for a bad search; drops a search that
   * runs past its budget, see `searchStopped`); returns how long it took, in ms.
   */
  setFilter(filter: LogFilter): number {
    const started = performance.now();
    this.filter = compileLogFilter(filter);
    this.searchStopped = undefined;
    this.#recount(started);
    return performance.now() - started;
  }

  /** Catches up with the job view's lines; returns whether anything changed. */
  sync(lines: readonly LogLine[], dropped: number): boolean {
    if (lines === this.lines && dropped === this.dropped) return false;
    const gone = dropped - this.dropped;
    const kept = this.lines.length - gone;
    const continues = gone >= 0 && kept > 0 && kept <= lines.length && lines[kept - 1] === this.lines[this.lines.length - 1];
    if (!continues && this.lines.length > 0) this.#reset();
    const from = continues ? kept : 0;
    if (continues && gone > 0) this.#drop(gone);
    this.lines = lines;
    this.dropped = dropped;
    this.#grow(lines.length);
    if (!this.origin && lines[0]) this.origin = lines[0].event.ts;
    const started = performance.now();
    for (let i = from; i < lines.length; i++) {
      this.#read(i, lines[i]!);
      this.#count(i);
      if (this.#overBudget(started)) {
        for (let j = i + 1; j < lines.length; j++) this.#read(j, lines[j]!);
        this.#stopSearch();
        break;
      }
    }
    return true;
  }

  /** The number of the line with this stream id, looking at lines numbered `from` on. */
  find(id: string, from = this.dropped): number | undefined {
    for (let i = Math.max(0, from - this.dropped); i < this.lines.length; i++) if (this.lines[i]!.id === id) return i + this.dropped;
    return undefined;
  }

  /** The number the next line will have. */
  get end(): number {
    return this.dropped + this.lines.length;
  }

  /** The plain text the search looked in. */
  text(n: number): string {
    return this.#text[n - this.dropped] ?? '';
  }

  #overBudget(started: number): boolean {
    return this.filter.query !== undefined && performance.now() - started > this.#budgetMs;
  }

  /** Counts every line afresh; drops the search if it runs past its budget. */
  #recount(started: number): void {
    this.items = [];
    this.counts = emptyFacets();
    for (let i = 0; i < this.lines.length; i++) {
      this.#count(i);
      if (this.#overBudget(started)) return this.#stopSearch();
    }
  }

  #stopSearch(): void {
    const seconds = (this.#budgetMs / 1000).toLocaleString('en-US');
    this.searchStopped = `it took longer than ${seconds} s over ${this.lines.length.toLocaleString('en-US')} lines; make it narrower`;
    this.filter = compileLogFilter({ ...this.filter.filter, q: undefined });
    this.#recount(performance.now());
  }

  #facts(i: number): LineFacts {
    const f = this.#scratch;
    f.kind = KINDS[this.#kind[i]!]!;
    f.level = LOG_LEVELS[this.#level[i]!]!;
    const stage = this.#stage[i]!;
    f.stage = stage === 0 ? undefined : this.stageNames[stage - 1];
    const iteration = this.#iteration[i]!;
    f.iteration = iteration === 0 ? undefined : iteration;
    f.text = this.#text[i]!;
    return f;
  }

  #count(i: number, by = 1): void {
    const facts = this.#facts(i);
    const mask = this.filter.mask(facts);
    countLine(this.counts, facts, mask, by);
    if (by > 0 && this.filter.matches(facts)) this.items.push(i + this.dropped);
  }

  #read(i: number, line: LogLine): void {
    const facts = this.#reader.facts(line.event);
    this.#kind[i] = KINDS.indexOf(facts.kind);
    this.#level[i] = LOG_LEVELS.indexOf(facts.level);
    this.#stage[i] = facts.stage === undefined ? 0 : this.#stageId(facts.stage);
    this.#iteration[i] = facts.iteration ?? 0;
    this.#text[i] = facts.text;
  }

  #stageId(stage: string): number {
    let id = this.#stageIds.get(stage);
    if (id === undefined) {
      id = this.stageNames.push(stage);
      this.#stageIds.set(stage, id);
    }
    return id;
  }

  /** Takes the oldest `count` lines out of the counts, the kept lines and the arrays. */
  #drop(count: number): void {
    for (let i = 0; i < count; i++) this.#count(i, -1);
    const firstKept = this.dropped + count;
    let cut = 0;
    while (cut < this.items.length && this.items[cut]! < firstKept) cut++;
    this.items.splice(0, cut);
    for (const array of [this.#kind, this.#level, this.#stage, this.#iteration]) array.copyWithin(0, count, this.lines.length);
    this.#text.splice(0, count);
  }

  #reset(): void {
    this.#reader = new LineReader();
    this.origin = '';
    this.items = [];
    this.counts = emptyFacets();
    this.#text = [];
  }

  #grow(size: number): void {
    if (size <= this.#kind.length) return;
    const capacity = Math.max(size, this.#kind.length * 2);
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.#kind = grown(this.#kind, (n) => new Uint8Array(n));
    this.#level = grown(this.#level, (n) => new Uint8Array(n));
    this.#stage = grown(this.#stage, (n) => new Uint16Array(n));
    this.#iteration = grown(this.#iteration, (n) => new Uint32Array(n));
  }
}
