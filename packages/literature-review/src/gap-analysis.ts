// Gap analysis: scores each pillar's completeness from the evidence board. In DEEP_LOOP mode it
// keeps widening each sub-requirement's query with stems its evidence shares (pseudo-relevance
// feedback), searches the whole corpus again, and stops once no pillar gains MIN_GAIN_PP any more.
import type { CorpusIndex, Pillar } from './corpus.ts';
import { type EvidenceBoard, matchSentence, type Query } from './evidence.ts';
import { createPace, type ReviewContext } from './pace.ts';

/** A pillar gaining less than this (percentage points) in an iteration no longer counts as improving. */
export const MIN_GAIN_PP = 0.5;
/** New stems a query may take per iteration: small steps keep the query from drifting off topic. */
const NEW_STEMS_PER_ITERATION = 3;
const MAX_EXPANSION_STEMS = 12;
/** Stems found in more than this share of papers say nothing about a particular sub-requirement. */
const MAX_DOCUMENT_SHARE = 0.14;
/** Searching one query over this many sentences costs one pace unit. */
const SENTENCES_PER_PACE_UNIT = 64;
/** Within a pillar, a progress event after this many sub-requirement searches (and after its last). */
const QUERIES_PER_EVENT = 8;

export type Completeness = Record<string, number>;

export interface GapAnalysisResult {
  iterations: number;
  /** Percent per pillar after the last iteration. */
  completeness: Completeness;
  /** Percent per pillar: [0] from deep review alone, then one entry per iteration. */
  history: Completeness[];
  stoppedBecause: 'single run' | 'no further gain' | 'iteration cap';
}

export async function runGapAnalysis(
  ctx: ReviewContext,
  index: CorpusIndex,
  pillars: readonly Pillar[],
  queries: readonly Query[],
  board: EvidenceBoard,
): Promise<GapAnalysisResult> {
  const deepLoop = ctx.input.runMode === 'DEEP_LOOP';
  const cap = deepLoop ? ctx.input.maxIterations : 1;
  // ONCE runs one iteration for sure; DEEP_LOOP's count is a guess that history may know better.
  if (deepLoop) ctx.progress.guessIterations('gap_analysis', Math.min(3, cap));
  else ctx.progress.expectIterations('gap_analysis', 1);
  const pace = createPace(ctx);
  const unitsPerQuery = index.sentenceCount / SENTENCES_PER_PACE_UNIT;
  const maxDocumentFrequency = Math.max(2, Math.floor(MAX_DOCUMENT_SHARE * index.papers.size));
  const scores = (): Completeness => Object.fromEntries(pillars.map((p) => [p.id, board.completeness(p)]));
  const history: Completeness[] = [scores()];

  for (let iteration = 1; ; iteration++) {
    ctx.progress.emit('gap_analysis', 'running', `Starting iteration ${iteration}`, { iteration });
    let found = 0;
    let searched = 0;
    for (const pillar of pillars) {
      const pillarQueries = queries.filter((q) => q.pillarId === pillar.id);
      for (const [i, query] of pillarQueries.entries()) {
        ctx.signal.throwIfAborted();
        const added = expandQuery(query, board, index, maxDocumentFrequency);
        if (added.length > 0) {
          const words = added.map((s) => index.wordOf.get(s) ?? s).join(', ');
          ctx.progress.log('info', `${query.subRequirement.id}: query widened with ${words}`, 'gap_analysis');
        }
        found += searchCorpus(query, board, index);
        await pace(unitsPerQuery);
        searched++;
        const last = i === pillarQueries.length - 1;
        // Big pillars also report along the way, so the stage never goes quiet for long.
        if (last || (i + 1) % QUERIES_PER_EVENT === 0) {
          const message = last
            ? `Iteration ${iteration}: ${pillar.name} at ${board.completeness(pillar).toFixed(1)}%`
            : `Iteration ${iteration}: searching ${pillar.name} (${i + 1} of ${pillarQueries.length})`;
          const stageProgress = searched / queries.length;
          ctx.progress.emit('gap_analysis', 'running', message, { iteration, stageProgress });
        }
      }
    }
    const previous = history.at(-1) ?? {};
    const current = scores();
    history.push(current);
    const bestGain = Math.max(0, ...pillars.map((p) => (current[p.id] ?? 0) - (previous[p.id] ?? 0)));
    ctx.progress.emit('gap_analysis', 'running', `Iteration ${iteration} complete`, {
      iteration,
      stageProgress: 1,
      metadata: { completeness: rounded(current) },
    });
    ctx.progress.log(
      'info',
      `Iteration ${iteration}: ${found} new evidence sentences; best pillar gain ${bestGain.toFixed(1)} pp`,
      'gap_analysis',
    );
    const stoppedBecause = !deepLoop
      ? 'single run'
      : bestGain < MIN_GAIN_PP
        ? 'no further gain'
        : iteration >= cap
          ? 'iteration cap'
          : undefined;
    if (stoppedBecause) return { iterations: iteration, completeness: current, history, stoppedBecause };
  }
}

/**
 * Adds to the query the stems shared by at least two of its evidence sentences, most shared first,
 * leaving out stems already in the query and stems common across the corpus. Returns the new stems.
 */
export function expandQuery(query: Query, board: EvidenceBoard, index: CorpusIndex, maxDocumentFrequency: number): string[] {
  const room = Math.min(NEW_STEMS_PER_ITERATION, MAX_EXPANSION_STEMS - query.expansion.length);
  if (room <= 0) return [];
  const known = new Set([...query.keywords.flat(), ...query.expansion]);
  const shared = new Map<string, number>();
  for (const e of board.evidenceFor(query.subRequirement.id)) {
    const tokens = index.papers.get(e.paperId)?.sentences[e.sentence]?.tokens ?? new Set<string>();
    for (const t of tokens) if (!known.has(t)) shared.set(t, (shared.get(t) ?? 0) + 1);
  }
  const df = (t: string) => index.documentFrequency.get(t) ?? 0;
  const added = [...shared]
    .filter(([t, count]) => count >= 2 && df(t) <= maxDocumentFrequency)
    .sort(([a, ca], [b, cb]) => cb - ca || df(a) - df(b) || a.localeCompare(b))
    .slice(0, room)
    .map(([t]) => t);
  query.expansion.push(...added);
  return added;
}

/** Adds every matching sentence of the corpus to the board; returns how many were new. */
function searchCorpus(query: Query, board: EvidenceBoard, index: CorpusIndex): number {
  let found = 0;
  for (const paper of index.papers.values()) {
    for (const sentence of paper.sentences) {
      const via = matchSentence(query, sentence.tokens);
      if (via && board.add(query, sentence, via)) found++;
    }
  }
  return found;
}

export function rounded(scores: Completeness): Completeness {
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}
