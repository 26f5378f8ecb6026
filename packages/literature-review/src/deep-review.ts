// Deep review: reads every paper the judge vouched for (at least one claim supported or partly so)
// sentence by sentence and maps sentences to sub-requirements by their keywords.
import type { CorpusIndex } from './corpus.ts';
import { EvidenceBoard, matchSentence, paperCredibility, type Query } from './evidence.ts';
import type { ClaimVerdict } from './judge.ts';
import { createPace, isReportPoint, type ReviewContext } from './pace.ts';

const LOG_EVERY_PAPER_UP_TO = 500;
/** Opening a paper costs one pace unit, and checking a sentence against this many queries another. */
const QUERIES_PER_PACE_UNIT = 20;

export interface DeepReviewResult {
  board: EvidenceBoard;
  papersReviewed: number;
}

export async function runDeepReview(
  ctx: ReviewContext,
  index: CorpusIndex,
  verdicts: readonly ClaimVerdict[],
  queries: readonly Query[],
): Promise<DeepReviewResult> {
  const pace = createPace(ctx);
  const credibility = paperCredibility(verdicts);
  const board = new EvidenceBoard(credibility);
  const vouched = [...index.papers.values()].filter((p) => (credibility.get(p.paper.id) ?? 0) > 0);
  const total = vouched.length;
  let done = 0;
  for (const { paper, sentences } of vouched) {
    ctx.signal.throwIfAborted();
    const backed = new Set<string>();
    for (const sentence of sentences) {
      for (const query of queries) {
        const via = matchSentence(query, sentence.tokens);
        if (via && board.add(query, sentence, via)) backed.add(query.subRequirement.id);
      }
    }
    await pace(1 + (sentences.length * queries.length) / QUERIES_PER_PACE_UNIT);
    done++;
    if (backed.size > 0 && total <= LOG_EVERY_PAPER_UP_TO) {
      ctx.progress.log('info', `${paper.id} gives evidence for ${[...backed].join(', ')}`, 'deep_review');
    }
    if (isReportPoint(done, total)) {
      ctx.progress.emit('deep_review', 'running', `Reviewed ${done} of ${total} papers`, {
        stageProgress: done / total,
      });
    }
  }
  return { board, papersReviewed: total };
}
