// Records the histories of real literature-review runs on corpora of different sizes (subsets
// and enlargements of the sample corpus) for the ETA replay:
// `node scripts/bun.mjs bench/eta/record-histories.ts`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { literatureReviewPipeline } from '@headway/literature-review';
import { loadSampleCorpus } from '@headway/literature-review/corpus';
import { type Corpus, JobArtifacts, LocalArtifactStore, literatureReview, ProgressTracker, validateInput } from '@headway/progress';
import { type HistoryEvent, type JobHistory, toNdjson } from './history-file.ts';

const SIZES = [12, 18, 24, 36, 48, 60, 72];
const JOBS = Number(process.env.JOBS ?? 60);
const PACE_MS = Number(process.env.PACE_MS ?? 15);

/** The sample corpus cut down or repeated to `papers` papers, claims following their papers. */
function corpusOf(papers: number): Corpus {
  const sample = loadSampleCorpus();
  const out: Corpus = { papers: [], claims: [], pillars: sample.pillars };
  for (let i = 0; i < papers; i++) {
    const paper = sample.papers[i % sample.papers.length]!;
    const copy = Math.floor(i / sample.papers.length);
    const id = copy === 0 ? paper.id : `${paper.id}-${copy}`;
    out.papers.push({ ...paper, id });
    for (const claim of sample.claims.filter((c) => c.paperId === paper.id)) {
      out.claims.push({ ...claim, id: copy === 0 ? claim.id : `${claim.id}-${copy}`, paperId: id });
    }
  }
  return out;
}

async function record(papers: number): Promise<JobHistory> {
  const checked = validateInput(literatureReview.inputSchema, { runMode: 'DEEP_LOOP', paceMs: PACE_MS, corpus: corpusOf(papers) });
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  const events: HistoryEvent[] = [];
  const start = performance.now();
  const progress = new ProgressTracker({
    jobId: 'record',
    attempt: 1,
    stages: literatureReview.stages,
    emit: (e) => {
      if (e.kind !== 'progress') return;
      events.push({
        t: Math.round(performance.now() - start) / 1000,
        stage: e.stage,
        phase: e.phase,
        ...(e.stageProgress !== undefined && { stageProgress: e.stageProgress }),
        ...(e.iteration !== undefined && { iteration: e.iteration }),
      });
    },
  });
  const outputDir = mkdtempSync(join(tmpdir(), 'hw-record-'));
  const signal = new AbortController().signal;
  await literatureReviewPipeline.run({
    jobId: 'record',
    attempt: 1,
    input: checked.value as never,
    signal,
    progress,
    outputDir,
    artifacts: new JobArtifacts({
      jobId: 'record',
      attempt: 1,
      tracker: progress,
      maxBytes: 100 * 1024 * 1024,
      maxCount: 200,
      store: new LocalArtifactStore(join(outputDir, 'artifacts')),
    }),
    sleep: (ms) => Bun.sleep(ms),
  });
  rmSync(outputDir, { recursive: true, force: true });
  return { pipeline: 'literature-review', size: papers, events };
}

const jobs: JobHistory[] = [];
for (let i = 0; i < JOBS; i++) {
  const size = SIZES[(i * 5) % SIZES.length]!;
  jobs.push(await record(size));
  console.log(`job ${i + 1}/${JOBS}: ${size} papers, ${jobs.at(-1)!.events.at(-1)!.t.toFixed(2)} s`);
}
const file = new URL('./histories/literature-review.ndjson', import.meta.url).pathname;
writeFileSync(file, toNdjson(jobs));
console.log(`wrote ${jobs.length} jobs to ${file}`);
