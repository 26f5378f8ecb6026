// Judge: checks each claim against the paper it cites by how much of the claim's vocabulary the paper
// actually uses; a claim whose words the paper never uses is not something the paper can support.
import type { Corpus } from '@headway/progress';
import { type CorpusIndex, checkClaimReferences, tokenize } from './corpus.ts';
import { createPace, isReportPoint, type ReviewContext } from './pace.ts';

export type Verdict = 'supported' | 'partial' | 'unsupported';

export interface ClaimVerdict {
  claimId: string;
  paperId: string;
  verdict: Verdict;
  /** Share of the claim's distinct content stems found in the paper's title and text, 0..1. */
  score: number;
}

export const SUPPORTED_FROM = 0.75;
export const PARTIAL_FROM = 0.45;
/** Beyond this many claims only the unsupported ones get a log line; the rest would drown them. */
const LOG_EVERY_CLAIM_UP_TO = 500;

export function scoreClaim(claimText: string, paperTokens: ReadonlySet<string>): { verdict: Verdict; score: number } {
  const stems = new Set(tokenize(claimText));
  if (stems.size === 0) return { verdict: 'unsupported', score: 0 };
  let found = 0;
  for (const s of stems) if (paperTokens.has(s)) found++;
  const score = found / stems.size;
  const verdict = score >= SUPPORTED_FROM ? 'supported' : score >= PARTIAL_FROM ? 'partial' : 'unsupported';
  return { verdict, score };
}

export async function runJudge(ctx: ReviewContext, corpus: Corpus, index: CorpusIndex): Promise<ClaimVerdict[]> {
  // Fail before spending time on any claim if one of them cannot be checked at all.
  checkClaimReferences(corpus);
  const pace = createPace(ctx);
  const verdicts: ClaimVerdict[] = [];
  const total = corpus.claims.length;
  for (const claim of corpus.claims) {
    ctx.signal.throwIfAborted();
    const paper = index.papers.get(claim.paperId);
    if (!paper) throw new Error(`Claim "${claim.id}" cites paper "${claim.paperId}", which is not in the corpus`);
    const { verdict, score } = scoreClaim(claim.text, paper.tokens);
    verdicts.push({ claimId: claim.id, paperId: claim.paperId, verdict, score });
    await pace();
    const said = verdict === 'partial' ? 'partly supported' : verdict;
    const line = `${claim.id} ${said} (${score.toFixed(2)}) by ${claim.paperId}`;
    if (verdict === 'unsupported') ctx.progress.log('warn', line, 'judge');
    else if (total <= LOG_EVERY_CLAIM_UP_TO) ctx.progress.log('info', line, 'judge');
    const done = verdicts.length;
    if (isReportPoint(done, total)) {
      ctx.progress.emit('judge', 'running', `Validated ${done} of ${total} claims`, { stageProgress: done / total });
    }
  }
  return verdicts;
}

export function countVerdicts(verdicts: readonly ClaimVerdict[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { supported: 0, partial: 0, unsupported: 0 };
  for (const v of verdicts) counts[v.verdict]++;
  return counts;
}
