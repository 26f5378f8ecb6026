// The one fold of a job's progress socket: every server message (`initial_status`, `reset`,
// `progress`, `logs`, `job_complete`, `error`) into what a watcher knows of the job. The web job
// page and the terminal client both fold with it and keep only their own side effects (drawing,
// printing), which `applied` and `before` tell them about.
import type { StreamEntry } from './events.ts';
import { applyEntry, createJobView, type JobView, resetView } from './job-state.ts';
import type { JobSummary } from './job-summary.ts';
import type { ServerMessage } from './messages.ts';
import type { PipelineInfo } from './pipeline-spec.ts';

export interface JobWatch {
  /** The job as the server last described it (`initial_status`, `reset`). */
  job?: JobSummary;
  pipeline?: PipelineInfo;
  /** The fold of its events; undefined until the first `initial_status` (or event). */
  view?: JobView;
  /** Why events were skipped, when the server said some are gone (`reset`). */
  resetReason?: string;
  /** The server's last `error`; cleared when it serves the job again. */
  error?: { code: string; message: string };
}

/** One applied event: the view before it and after it. Duplicates are not applied. */
export interface AppliedEntry {
  entry: StreamEntry;
  before: JobView;
  after: JobView;
}

export interface WatchStep {
  watch: JobWatch;
  /** The events this message added to the view, in order. */
  applied: AppliedEntry[];
  /** This message started the view (the first `initial_status`). */
  started?: boolean;
  /** The view before a `reset` replaced it. */
  resetFrom?: JobView;
}

export function foldServerMessage(watch: JobWatch, message: ServerMessage): WatchStep {
  const stages = () => watch.pipeline?.stages ?? [];
  switch (message.type) {
    case 'initial_status': {
      // On a reconnect the fold carries on; only the first status starts it.
      const started = watch.view === undefined;
      const view = watch.view ?? createJobView(message.pipeline.stages, message.job.status);
      return { watch: { ...watch, job: message.job, pipeline: message.pipeline, view, error: undefined }, applied: [], started };
    }
    case 'reset': {
      const before = watch.view ?? createJobView(stages());
      const view = resetView(before, message.job);
      return { watch: { ...watch, job: message.job, resetReason: message.reason, view }, applied: [], resetFrom: before };
    }
    case 'progress':
    case 'logs': {
      const entries: StreamEntry[] = message.type === 'progress' ? [{ id: message.id, event: message.event }] : message.lines;
      const applied: AppliedEntry[] = [];
      let view = watch.view ?? createJobView(stages());
      for (const entry of entries) {
        const after = applyEntry(view, entry);
        if (after === view) continue;
        applied.push({ entry, before: view, after });
        view = after;
      }
      return { watch: applied.length > 0 ? { ...watch, view } : watch, applied };
    }
    case 'job_complete':
      return { watch: { ...watch, view: { ...(watch.view ?? createJobView(stages())), status: message.status } }, applied: [] };
    case 'error':
      return { watch: { ...watch, error: { code: message.code, message: message.message } }, applied: [] };
  }
}
