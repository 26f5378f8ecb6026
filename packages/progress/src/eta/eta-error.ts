// How far off the ETA a job showed was, measured once the job has ended: at 25 % and 50 % of its
// time, the estimate then in force against the time that was really left. Kept in the job's
// history record, so the pipeline page can plot the ETA's error job after job.
import type { EtaBasis } from '../model/events.ts';

/** Seconds the ETA was off at a point of the job: estimate − truth (positive: it said too long). */
export interface EtaError {
  at25?: number;
  at50?: number;
}

export class EtaErrorLog {
  readonly #estimates: { at: number; seconds: number }[] = [];

  /** An ETA shown `atS` seconds into the job; those that rest on nothing are not estimates. */
  note(atS: number, seconds: number, basis: EtaBasis): void {
    if (basis !== 'none' && Number.isFinite(atS) && Number.isFinite(seconds)) this.#estimates.push({ at: atS, seconds });
  }

  /** The errors of a job that took `totalS`; undefined where no estimate had been shown by then. */
  errors(totalS: number): EtaError | undefined {
    const at25 = this.#errorAt(0.25, totalS);
    const at50 = this.#errorAt(0.5, totalS);
    if (at25 === undefined && at50 === undefined) return undefined;
    return { ...(at25 !== undefined && { at25 }), ...(at50 !== undefined && { at50 }) };
  }

  #errorAt(fraction: number, totalS: number): number | undefined {
    const time = fraction * totalS;
    const shown = this.#estimates.findLast((e) => e.at <= time);
    return shown && round2(shown.seconds - (totalS - shown.at));
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
