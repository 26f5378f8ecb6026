// `npm run bench -- eta [--histories FILE]`: replays job histories through Headway's tracker and
// estimator and through four baselines, prints a table per set and returns the scores.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { literatureReview, type StageSpec } from '@headway/progress';
import { familySets, ingestStages } from './eta/families.ts';
import { generatedSets } from './eta/generate.ts';
import { type JobHistory, readHistories } from './eta/history-file.ts';
import { ema, headway, jenkins, linear, type Method, oracle, seed } from './eta/methods.ts';
import { type Scores, score } from './eta/metrics.ts';
import { plotJob } from './eta/plot.ts';
import { replay } from './eta/replay.ts';

const RECORDED = new URL('./eta/histories/literature-review.ndjson', import.meta.url).pathname;

const KNOWN: Record<string, readonly StageSpec[]> = { [literatureReview.name]: literatureReview.stages, ingest: ingestStages };

/**
 * A pipeline the benchmark does not know is read from its histories: its stages in the order they
 * first start, equal declared weights, and a stage that reports iterations loops.
 */
export function stagesOf(jobs: readonly JobHistory[]): readonly StageSpec[] {
  const known = KNOWN[jobs[0]!.pipeline];
  if (known) return known;
  const names: string[] = [];
  const loops = new Set<string>();
  for (const job of jobs) {
    for (const e of job.events) {
      if (!names.includes(e.stage)) names.push(e.stage);
      if (e.iteration !== undefined) loops.add(e.stage);
    }
  }
  return names.map((name) => ({ name, label: name, weight: 1, ...(loops.has(name) && { loops: true }) }));
}

function methodsFor(stages: readonly StageSpec[]): Method[] {
  return [headway(stages), seed(stages), linear(stages), jenkins(), ema(stages)];
}

type SetScores = Record<string, Scores & { cold_mae_s: number | null }>;

export function scoreSet(jobs: readonly JobHistory[]): SetScores {
  const out: SetScores = {};
  const stages = stagesOf(jobs);
  const methods = methodsFor(stages);
  // Generated sets know each job's expected times: the oracle row shows the floor of the error.
  if (jobs.every((j) => j.expected)) methods.push(oracle());
  for (const [i, method] of methods.entries()) {
    const samples = replay(method, jobs);
    // Every job again, each through a fresh method with an empty history, from 20 % of its time on.
    const fresh = () => (method.name === 'oracle' ? oracle() : methodsFor(stages)[i]!);
    const cold = jobs.flatMap((job) => replay(fresh(), [job]));
    out[method.name] = { ...score(samples), cold_mae_s: score(cold, { warmup: 0, from: 0.2 }).mae_s };
  }
  return out;
}

/** Issue 17's targets for Headway's row; the misses, or none. */
export function targetMisses(scores: SetScores): string[] {
  const h = scores.headway;
  if (!h || h.mae_s === null) return ['no headway row'];
  const misses: string[] = [];
  const o = scores.oracle;
  if (o?.mae_s && h.mae_s > 1.2 * o.mae_s) misses.push(`mae ${(h.mae_s / o.mae_s).toFixed(2)} × oracle > 1.2`);
  for (const [name, s] of Object.entries(scores)) {
    if (name !== 'headway' && name !== 'oracle' && s.mae_s !== null && s.mae_s <= h.mae_s) misses.push(`mae not below ${name}`);
  }
  const p90Limit = Math.max(0.2, 1.2 * (o?.nerr_p90 ?? 0));
  if ((h.nerr_p90 ?? 0) > p90Limit) misses.push(`nerr_p90 ${h.nerr_p90?.toFixed(3)} > ${p90Limit.toFixed(3)}`);
  const coverage = h.band80_coverage ?? 0;
  if (coverage < 0.75 || coverage > 0.85) misses.push(`band80 ${coverage.toFixed(2)} outside 0.75–0.85`);
  if ((h.band_width ?? 0) > 2 * (h.nerr_p90 ?? 0)) misses.push(`band_width ${h.band_width?.toFixed(3)} > 2 × nerr_p90`);
  if (h.linearity_pts > 5) misses.push(`linearity ${h.linearity_pts.toFixed(2)} > 5`);
  if (h.max_jump_pts > 10) misses.push(`max_jump ${h.max_jump_pts.toFixed(2)} > 10`);
  if (h.backwards > 0) misses.push(`backwards ${h.backwards}`);
  const cold = scores.linear?.cold_mae_s;
  if (h.cold_mae_s !== null && cold != null && h.cold_mae_s >= cold)
    misses.push(`cold ${h.cold_mae_s.toFixed(2)} not below linear ${cold.toFixed(2)}`);
  return misses;
}

const fmt = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

function printTable(name: string, jobs: number, scores: SetScores) {
  console.log(`\n${name} (${jobs} jobs, scored after the first 10)`);
  const oracleMae = scores.oracle?.mae_s;
  const head = [
    'method',
    'mae_s',
    '÷oracle',
    'nerr_p50',
    'nerr_p90',
    'band80',
    'band_w',
    'linear_pts',
    'max_jump',
    'backw',
    'plateau',
    'cold_mae_s',
  ];
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(8) : ` ${h}`.padStart(12))).join(''));
  for (const [method, s] of Object.entries(scores)) {
    const row = [
      fmt(s.mae_s, 2),
      fmt(oracleMae && s.mae_s !== null ? s.mae_s / oracleMae : null, 2),
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
    console.log(method.padEnd(8) + row.map((c) => c.padStart(12)).join(''));
  }
  const misses = targetMisses(scores);
  console.log(misses.length === 0 ? 'targets: all met' : `targets missed: ${misses.join('; ')}`);
}

export async function benchEta(args: string[] = []) {
  const file = args[args.indexOf('--histories') + 1];
  // `--seed N`: the new families drawn again with other draws and parameters (the six sets stay).
  const familySeed = args.includes('--seed') ? Number(args[args.indexOf('--seed') + 1]) : undefined;
  const sets: Record<string, JobHistory[]> =
    args.includes('--histories') && file
      ? {
          [file
            .split('/')
            .pop()!
            .replace(/\.ndjson$/, '')]: readHistories(file),
        }
      : {
          ...generatedSets(),
          ...(existsSync(RECORDED) && { recorded: readHistories(RECORDED) }),
          ...familySets(familySeed),
        };
  const results: Record<string, SetScores> = {};
  for (const [name, jobs] of Object.entries(sets)) {
    results[name] = scoreSet(jobs);
    printTable(name, jobs.length, results[name]);
  }
  if (sets.noisy) {
    const docs = new URL('../docs/', import.meta.url).pathname;
    mkdirSync(docs, { recursive: true });
    writeFileSync(`${docs}eta-noisy-job.svg`, plotJob('job 60 of the noisy set', sets.noisy, 60, methodsFor(literatureReview.stages)));
  }
  return results;
}
