import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ArtifactEvent,
  artifactKey,
  type Corpus,
  JobArtifacts,
  type LiteratureReviewInput,
  LocalArtifactStore,
  literatureReview,
  type NewJobEvent,
  type PipelineContext,
  type ProgressEvent,
  ProgressTracker,
} from '@headway/progress';
import { afterEach, describe, expect, it } from 'vitest';
import { checkUniqueIds, loadSampleCorpus, selectPillars, stem, tokenize } from './corpus.ts';
import { type LiteratureReviewResult, literatureReviewPipeline } from './index.ts';
import { scoreClaim } from './judge.ts';
import { escapeXml } from './svg.ts';

const STAGES = literatureReview.stages.map((s) => s.name);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function abortableSleep(signal: AbortSignal) {
  return (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}

function setup(input: Partial<LiteratureReviewInput> = {}) {
  const events: NewJobEvent[] = [];
  const controller = new AbortController();
  const outputDir = mkdtempSync(join(tmpdir(), 'literature-review-'));
  dirs.push(outputDir);
  const store = new LocalArtifactStore(join(outputDir, '.store'));
  const progress = new ProgressTracker({
    jobId: 't',
    attempt: 1,
    stages: literatureReview.stages,
    emit: (e) => events.push(e),
  });
  const ctx: PipelineContext<LiteratureReviewInput> = {
    jobId: 't',
    attempt: 1,
    input: { runMode: 'DEEP_LOOP', pillarSelections: ['ALL'], maxIterations: 5, paceMs: 0, ...input },
    signal: controller.signal,
    progress,
    artifacts: new JobArtifacts({ jobId: 't', attempt: 1, tracker: progress, store, maxBytes: 1 << 20, maxCount: 10 }),
    outputDir,
    sleep: abortableSleep(controller.signal),
  };
  const progressEvents = () => events.filter((e): e is Omit<ProgressEvent, 'seq'> => e.kind === 'progress');
  const artifacts = () => events.filter((e): e is Omit<ArtifactEvent, 'seq'> => e.kind === 'artifact');
  return {
    events,
    progress: progressEvents,
    artifacts,
    store,
    tracker: progress,
    controller,
    outputDir,
    run: () => literatureReviewPipeline.run(ctx) as Promise<LiteratureReviewResult>,
  };
}

const phasesOf = (events: readonly Omit<ProgressEvent, 'seq'>[], phases: string[]) =>
  events.filter((e) => phases.includes(e.phase)).map((e) => `${e.stage}:${e.phase}`);

const startedIterations = (events: readonly Omit<ProgressEvent, 'seq'>[]) =>
  events.filter((e) => e.stage === 'gap_analysis' && e.message.startsWith('Starting iteration')).map((e) => e.iteration);

describe('literature-review pipeline on the sample corpus', () => {
  it('runs all six stages in order, iterating gap analysis until completeness stops improving', async () => {
    const job = setup({ runMode: 'DEEP_LOOP', maxIterations: 5 });
    const started = performance.now();
    const result = await job.run();
    expect(performance.now() - started).toBeLessThan(1000);

    const events = job.progress();
    expect(phasesOf(events, ['starting', 'complete', 'error'])).toEqual(STAGES.flatMap((s) => [`${s}:starting`, `${s}:complete`]));
    expect(events[0]?.message).toBe('Loading definitions...');
    expect(events.find((e) => e.stage === 'initialization' && e.phase === 'complete')?.message).toBe('Loaded 6 pillar definitions');
    expect(events.find((e) => e.stage === 'judge' && e.phase === 'starting')?.message).toBe('Running Judge to validate claims...');

    const iterations = startedIterations(events);
    const k = iterations.length;
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThanOrEqual(5);
    expect(iterations).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(result.summary.iterations).toBe(k);
    const completed = events.filter((e) => e.stage === 'gap_analysis' && /^Iteration \d+ complete$/.test(e.message));
    expect(completed.map((e) => e.iteration)).toEqual(iterations);
    for (const e of completed) {
      expect(Object.keys(e.metadata?.completeness as object)).toEqual(loadSampleCorpus().pillars.map((p) => p.id));
    }

    const percentages = events.map((e) => e.percentage);
    for (let i = 1; i < percentages.length; i++) expect(percentages[i]).toBeGreaterThanOrEqual(percentages[i - 1]!);
    expect(percentages.at(-1)).toBe(100);

    expect(result.summary.claims.supported).toBeGreaterThan(result.summary.claims.partial);
    expect(result.summary.claims.unsupported).toBeGreaterThan(0);
    expect(result.charts.length).toBeGreaterThanOrEqual(2);
    for (const file of result.charts) {
      const svg = readFileSync(join(job.outputDir, file), 'utf8');
      expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    }
    const radar = readFileSync(join(job.outputDir, 'completeness-radar.svg'), 'utf8');
    for (const pillar of loadSampleCorpus().pillars) expect(radar).toContain(pillar.name);

    expect(result.report).toBe('report.md');
    const report = readFileSync(join(job.outputDir, 'report.md'), 'utf8');
    expect(report).toContain('# Literature review');
    expect(report).toContain('## Unsupported claims');
  });

  it('publishes each chart while drawing, then report.md (linking the charts by name) and summary.md', async () => {
    const job = setup({ runMode: 'ONCE' });
    const result = await job.run();
    const published = job.artifacts();
    expect(published.map((a) => `${a.stage}:${a.name}`)).toEqual([
      'visualization:completeness-radar.svg',
      'visualization:gap-bars.svg',
      'visualization:completeness-trend.svg',
      'finalization:report.md',
      'finalization:summary.md',
    ]);
    expect(result.charts).toEqual(published.slice(0, 3).map((a) => a.name));
    for (const artifact of published) {
      const stored = await job.store.get(artifactKey('t', 1, artifact.name));
      const bytes = new Uint8Array(await new Response(stored!.body).arrayBuffer());
      expect(artifact.size).toBe(bytes.byteLength);
      expect(artifact.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(published.map((a) => a.contentType)).toEqual([
      ...Array(3).fill('image/svg+xml'),
      ...Array(2).fill('text/markdown; charset=utf-8'),
    ]);
    expect(published[0]!.title).toBe('Completeness by pillar');
    const report = readFileSync(join(job.outputDir, 'report.md'), 'utf8');
    for (const chart of result.charts) expect(report).toContain(`](${chart})`);
    const summary = await new Response((await job.store.get(artifactKey('t', 1, 'summary.md')))!.body).text();
    const { claims, completeness } = result.summary;
    expect(summary).toContain(`${claims.supported} supported, ${claims.partial} partly supported, ${claims.unsupported} unsupported`);
    for (const pillar of loadSampleCorpus().pillars) {
      expect(summary).toContain(`| ${pillar.name} | ${completeness[pillar.id]!.toFixed(1)}% |`);
    }
    expect(job.tracker.snapshot().artifacts).toBe(5);
  });

  it('runs exactly one gap-analysis iteration in ONCE mode', async () => {
    const job = setup({ runMode: 'ONCE', maxIterations: 5 });
    const result = await job.run();
    expect(startedIterations(job.progress())).toEqual([1]);
    expect(result.summary.iterations).toBe(1);
    expect(job.progress().at(-1)?.percentage).toBe(100);
  });

  it('stops DEEP_LOOP at maxIterations', async () => {
    const job = setup({ runMode: 'DEEP_LOOP', maxIterations: 2 });
    const result = await job.run();
    expect(startedIterations(job.progress())).toEqual([1, 2]);
    expect(result.summary.iterations).toBe(2);
  });

  it('analyses only the selected pillars', async () => {
    const job = setup({ pillarSelections: ['continual-learning'] });
    const result = await job.run();
    expect(Object.keys(result.summary.completeness)).toEqual(['continual-learning']);
    const loaded = job.progress().find((e) => e.stage === 'initialization' && e.phase === 'complete');
    expect(loaded?.message).toBe('Loaded 6 pillar definitions (1 selected)');
    // A radar with a single axis is degenerate; it must still be drawable.
    for (const file of result.charts) {
      expect(readFileSync(join(job.outputDir, file), 'utf8')).not.toMatch(/NaN|undefined|Infinity/);
    }
  });

  it('takes longer, in events, for a bigger corpus', async () => {
    const sample = loadSampleCorpus();
    const copy = (id: string) => `${id}-copy`;
    const doubled: Corpus = {
      papers: [...sample.papers, ...sample.papers.map((p) => ({ ...p, id: copy(p.id) }))],
      claims: [...sample.claims, ...sample.claims.map((c) => ({ ...c, id: copy(c.id), paperId: copy(c.paperId) }))],
      pillars: sample.pillars,
    };
    const judgeEvents = async (corpus?: Corpus) => {
      const job = setup({ runMode: 'ONCE', ...(corpus && { corpus }) });
      await job.run();
      return job.events.filter((e) => e.kind !== 'status' && e.stage === 'judge').length;
    };
    const small = await judgeEvents();
    const big = await judgeEvents(doubled);
    expect(big).toBeGreaterThan(small);
  });
});

describe('literature-review pipeline failures', () => {
  it('fails in the judge stage when a claim cites a paper that is not in the corpus', async () => {
    const corpus = loadSampleCorpus();
    corpus.claims.push({ id: 'c-dangling', paperId: 'p99', text: 'Spikes are free.' });
    const job = setup({ corpus });
    const message = 'Claim "c-dangling" cites paper "p99", which is not in the corpus';
    const failure = await job.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    // A VALIDATION error tells the worker that retrying cannot help.
    expect(failure).toMatchObject({ message, code: 'VALIDATION' });
    const events = job.progress();
    expect(phasesOf(events, ['starting', 'complete', 'error'])).toEqual([
      'initialization:starting',
      'initialization:complete',
      'judge:starting',
      'judge:error',
    ]);
    expect(events.at(-1)?.message).toBe(message);
  });

  it('fails in initialization when a selected pillar does not exist', async () => {
    const job = setup({ pillarSelections: ['quantum-biology'] });
    await expect(job.run()).rejects.toThrow('Pillar "quantum-biology" is selected but not in the corpus');
    expect(job.progress().at(-1)).toMatchObject({ stage: 'initialization', phase: 'error' });
  });

  it('rejects promptly when the signal is aborted mid-run, without blaming a stage', async () => {
    const job = setup({ paceMs: 20 });
    const running = job.run();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const abortedAt = performance.now();
    job.controller.abort(new Error('cancelled by test'));
    await expect(running).rejects.toThrow('cancelled by test');
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(job.progress().some((e) => e.phase === 'error')).toBe(false);
    expect(job.progress().some((e) => e.stage === 'finalization')).toBe(false);
  });
});

describe('corpus checks', () => {
  it('names a duplicated id', () => {
    const corpus = loadSampleCorpus();
    corpus.papers.push({ ...corpus.papers[0]!, title: 'again' });
    expect(() => checkUniqueIds(corpus)).toThrow('Paper id "p1" appears more than once in the corpus');
  });

  it('treats ["ALL"] as every pillar', () => {
    const corpus = loadSampleCorpus();
    expect(selectPillars(corpus, ['ALL'])).toHaveLength(corpus.pillars.length);
    expect(() => selectPillars(corpus, [])).toThrow('No pillars selected');
  });
});

describe('text helpers', () => {
  it('brings word forms to one stem and drops stop words', () => {
    expect(stem('spikes')).toBe(stem('spiking'));
    expect(stem('trained')).toBe(stem('training'));
    expect(tokenize('The networks were trained on 10 tasks')).toEqual(['network', 'train', 'task']);
  });

  it('scores a claim by the share of its words the paper uses', () => {
    const paper = new Set(tokenize('Surrogate gradients train deep spiking networks end to end.'));
    const supported = scoreClaim('Surrogate gradients train spiking networks.', paper);
    expect(supported).toEqual({ verdict: 'supported', score: 1 });
    expect(scoreClaim('Quantum annealers beat every GPU.', paper).verdict).toBe('unsupported');
  });

  it('escapes text for SVG', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });
});
