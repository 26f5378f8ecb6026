// Pacing: each unit of work (a claim judged, a sentence read, a query searched) costs `paceMs`, so a
// job's duration follows its corpus; at pace 0 it still yields now and then so the worker stays responsive.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LiteratureReviewInput, PipelineContext } from '@headway/progress';

export type ReviewContext = PipelineContext<LiteratureReviewInput>;

/** At pace 0, how many units run between two yields to the event loop (lock renewals, aborts). */
const UNITS_PER_YIELD = 256;

export type Pace = (units?: number) => Promise<void>;

export function createPace(ctx: ReviewContext): Pace {
  const paceMs = ctx.input.paceMs;
  let sinceYield = 0;
  return async (units = 1) => {
    ctx.signal.throwIfAborted();
    if (paceMs > 0) {
      await ctx.sleep(paceMs * units);
      return;
    }
    sinceYield += units;
    if (sinceYield >= UNITS_PER_YIELD) {
      sinceYield = 0;
      // Not ctx.sleep(0): a sleep of 0 may resolve as a microtask, which lets no timer or I/O run.
      await nextTurn();
      ctx.signal.throwIfAborted();
    }
  };
}

/** Whether item `done` of `total` deserves a progress event: about a hundred per stage at most. */
export function isReportPoint(done: number, total: number): boolean {
  const step = Math.max(1, Math.ceil(total / 100));
  return done === total || done % step === 0;
}
