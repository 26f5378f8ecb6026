// The literature-review pipeline: the seed orchestrator's six stages run in order, each reporting
// starting → running… → complete, or error (then the job fails with that error).
import { definePipeline, literatureReview } from '@headway/progress';
import { checkUniqueIds, indexCorpus, loadSampleCorpus, selectPillars, unsearchableSubRequirements } from './corpus.ts';
import { runDeepReview } from './deep-review.ts';
import { buildQueries } from './evidence.ts';
import { rounded, runGapAnalysis } from './gap-analysis.ts';
import { countVerdicts, runJudge, type Verdict } from './judge.ts';
import { createPace, type ReviewContext } from './pace.ts';
import { runFinalization } from './report.ts';
import { runVisualization } from './visualization.ts';

export interface LiteratureReviewResult {
  /** File names inside the job's output directory. */
  report: string;
  charts: string[];
  summary: {
    claims: Record<Verdict, number>;
    /** Percent per analysed pillar. */
    completeness: Record<string, number>;
    iterations: number;
  };
}

export const literatureReviewPipeline = definePipeline({
  ...literatureReview,
  // Every stage's work grows with the papers in the corpus.
  sizeOf: (input) => (input.corpus ?? loadSampleCorpus()).papers.length,
  async run(ctx): Promise<LiteratureReviewResult> {
    const { corpus, pillars, index } = await stage(
      ctx,
      'initialization',
      'Loading definitions...',
      async () => {
        const corpus = ctx.input.corpus ?? loadSampleCorpus();
        checkUniqueIds(corpus);
        const pillars = selectPillars(corpus, ctx.input.pillarSelections);
        for (const id of unsearchableSubRequirements(pillars)) {
          const message = `${id} has no searchable keywords (only stop words or single letters); nothing can match it`;
          ctx.progress.log('warn', message, 'initialization');
        }
        const pace = createPace(ctx);
        for (const [i, pillar] of pillars.entries()) {
          await pace(pillar.subRequirements.length);
          const message = `Loaded pillar "${pillar.name}" (${pillar.subRequirements.length} sub-requirements)`;
          ctx.progress.emit('initialization', 'running', message, { stageProgress: (i + 1) / pillars.length });
        }
        return { corpus, pillars, index: indexCorpus(corpus) };
      },
      ({ corpus, pillars }) =>
        `Loaded ${corpus.pillars.length} pillar definitions` +
        (pillars.length < corpus.pillars.length ? ` (${pillars.length} selected)` : ''),
    );

    const verdicts = await stage(
      ctx,
      'judge',
      'Running Judge to validate claims...',
      () => runJudge(ctx, corpus, index),
      (v) => {
        const c = countVerdicts(v);
        return `Claims validated: ${c.supported} supported, ` + `${c.partial} partly supported, ${c.unsupported} unsupported`;
      },
    );

    const queries = buildQueries(pillars);
    const { board } = await stage(
      ctx,
      'deep_review',
      'Mapping evidence from validated papers to sub-requirements...',
      () => runDeepReview(ctx, index, verdicts, queries),
      (r) => `Mapped ${r.board.size} evidence sentences from ${r.papersReviewed} papers`,
    );

    const gap = await stage(
      ctx,
      'gap_analysis',
      `Analysing gaps in ${pillars.length} pillars (${ctx.input.runMode})...`,
      () => runGapAnalysis(ctx, index, pillars, queries, board),
      (g) => {
        const mean = Object.values(g.completeness).reduce((a, b) => a + b, 0) / Math.max(1, pillars.length);
        const iterations = `${g.iterations} iteration${g.iterations === 1 ? '' : 's'}`;
        return `Gap analysis done after ${iterations} (${g.stoppedBecause}); mean completeness ${mean.toFixed(1)}%`;
      },
    );

    const charts = await stage(
      ctx,
      'visualization',
      'Drawing charts...',
      () => runVisualization(ctx, pillars, board, gap.history),
      (files) => `Wrote ${files.length} charts`,
    );

    const report = await stage(
      ctx,
      'finalization',
      'Writing report...',
      () => runFinalization(ctx, { corpus, index, pillars, queries, verdicts, board, gap, charts }),
      (file) => `Report written to ${file}`,
    );

    return {
      report,
      charts,
      summary: { claims: countVerdicts(verdicts), completeness: rounded(gap.completeness), iterations: gap.iterations },
    };
  },
});

/** Runs one stage between its starting and complete events; a failure is reported on the stage, then rethrown. */
async function stage<T>(
  ctx: ReviewContext,
  name: string,
  startMessage: string,
  work: () => Promise<T>,
  doneMessage: (result: T) => string,
): Promise<T> {
  ctx.progress.emit(name, 'starting', startMessage);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A cancellation is not the stage's fault; the worker reports it as such.
    if (!ctx.signal.aborted) ctx.progress.emit(name, 'error', error instanceof Error ? error.message : String(error));
    throw error;
  }
  ctx.progress.emit(name, 'complete', doneMessage(result));
  return result;
}
