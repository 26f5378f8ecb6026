// Replays jobs in order through a method on a virtual clock; each job's outcome enters the
// method's history before the next job starts.
import type { JobHistory } from './history-file.ts';
import type { Method } from './methods.ts';
import type { JobSamples } from './metrics.ts';

export function replay(method: Method, jobs: readonly JobHistory[]): JobSamples[] {
  return jobs.map((job) => {
    const read = method.start(job);
    const duration = job.events.at(-1)!.t;
    const samples = job.events.map((event, i) => {
      const reading = read(event);
      return { t: event.t, ...reading, boundary: event.phase !== 'running', last: i === job.events.length - 1 };
    });
    method.finish(job);
    // The last event ends the job: nothing is left to estimate there.
    return { duration, samples: samples.filter((s) => !s.last) };
  });
}
