// `npm run bench -- eta [--histories FILE]`: replays job histories through Headway's tracker and
// estimator and through four baselines, prints a table per set and returns the scores.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { literatureReview } from '@headway/progress';
import { generatedSets } from './eta/generate.ts';
import { type JobHistory, readHistories } from './eta/history-file.ts';
import { ema, headway, jenkins, linear, type Method, oracle, seed } from './eta/methods.ts';
import { type Scores, score } from './eta/metrics.ts';
import { plotJob } from './eta/plot.ts';
import { replay } from './eta/replay.ts';

const RECORDED = new URL('./eta/histories/literature-review.ndjson', import.meta.url).pathname;

function methodsFor(pipeline: string): Method[] {
  // The generated and recorded histories are all of the reference pipeline.
  const spec = pipeline === literatureReview.name ? literatureReview : undefined;
  if (!spec) throw new Error(`Histories name pipeline "${pipeline}"; this benchmark knows only ${literatureReview.name}`);
  return [headway(spec.stages), seed(spec.stages), linear(spec.stages), jenkins(), ema(spec.stages)];
}

type SetScores = Record<string, Scores & { cold_mae_s: number | null }>;

export function scoreSet(jobs: readonly JobHistory[]): SetScores {
  const out: SetScores = {};
  const methods = methodsFor(jobs[0]!.pipeline);
  // Generated sets know each job's expected times: the oracle row shows the floor of the error.
  if (jobs.every((j) => j.expected)) methods.push(oracle());
  for (const [i, method] of methods.entries()) {
    const samples = replay(method, jobs);
    // Every job again, each through a fresh method with an empty history, from 20 % of its time on.
    const fresh = () => (i < methodsFor(jobs[0]!.pipeline).length ? methodsFor(jobs[0]!.pipeline)[i]! : oracle());
    const cold = jobs.flatMap((job) => replay(fresh(), [job]));
    out[method.name] = { ...score(samples), cold_mae_s: score(cold, { warmup: 0, from: 0.2 }).mae_s };
  }
  return out;
}

const fmt = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

function printTable(name: string, jobs: number, scores: SetScores) {
  console.log(`\n${name} (${jobs} jobs, scored after the first 10)`);
  const head = ['method', 'mae_s', 'nerr_p50', 'nerr_p90', 'band80', 'band_w', 'linear_pts', 'max_jump', 'backw', 'plateau', 'cold_mae_s'];
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(8) : h.padStart(10))).join(''));
  for (const [method, s] of Object.entries(scores)) {
    const row = [
      fmt(s.mae_s, 2),
      fmt(s.nerr_p50),
      fmt(s.nerr_p90),
      fmt(s.band80_coverage, 2),
      fmt(s.band_width),
      fmt(s.linearity_pts, 2),
      fmt(s.max_jump_pts, 2),
      String(s.backwards),
      fmt(s.max_plateau, 3),
      fmt(s.cold_mae_s, 2),
    ];
    console.log(method.padEnd(8) + row.map((c) => c.padStart(10)).join(''));
  }
}

export async function benchEta(args: string[] = []) {
  const file = args[args.indexOf('--histories') + 1];
  const sets: Record<string, JobHistory[]> =
    args.includes('--histories') && file
      ? {
          [file
            .split('/')
            .pop()!
            .replace(/\.ndjson$/, '')]: readHistories(file),
        }
      : { ...generatedSets(), ...(existsSync(RECORDED) && { recorded: readHistories(RECORDED) }) };
  const results: Record<string, SetScores> = {};
  for (const [name, jobs] of Object.entries(sets)) {
    results[name] = scoreSet(jobs);
    printTable(name, jobs.length, results[name]);
  }
  if (sets.noisy) {
    const docs = new URL('../docs/', import.meta.url).pathname;
    mkdirSync(docs, { recursive: true });
    writeFileSync(`${docs}eta-noisy-job.svg`, plotJob('job 60 of the noisy set', sets.noisy, 60, methodsFor('literature-review')));
  }
  return results;
}
