// The replay input: NDJSON, one job a line, `t` in seconds from the job's start; a job ends at its
// last event.
import { readFileSync } from 'node:fs';
import type { Phase } from '@headway/progress';

export interface HistoryEvent {
  t: number;
  stage: string;
  phase: Phase;
  stageProgress?: number;
  iteration?: number;
}

export interface JobHistory {
  pipeline: string;
  size?: number;
  events: HistoryEvent[];
  /**
   * Generated sets only: the expected seconds of each stage for this job (a looping stage: per
   * iteration) and the expected iteration count, i.e. what a perfect history would know.
   */
  expected?: {
    stages: Record<string, number>;
    iterations: number;
    /** Median seconds of all the stages after each stage, where the generator knows it (families.ts). */
    after?: Record<string, number>;
    /** The looping stage's count distribution (P(count = k), k = 1…) and each iteration's time ÷ the last. */
    loop?: { stage: string; counts: number[]; decay: number };
  };
}

export function readHistories(path: string): JobHistory[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const job = JSON.parse(line) as JobHistory;
      if (!job.pipeline || !Array.isArray(job.events) || job.events.length < 2) {
        throw new Error(`${path}:${i + 1}: expected {"pipeline", "size"?, "events": [at least two]}`);
      }
      return job;
    });
}

export const toNdjson = (jobs: readonly JobHistory[]) => `${jobs.map((j) => JSON.stringify(j)).join('\n')}\n`;
