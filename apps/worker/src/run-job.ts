// The BullMQ processor: runs a job's pipeline with a tracker whose events go to the job's stream,
// and reports the job's status (active, then completed, failed, retrying or cancelled) as events
// too. A cancel (cancel-requests.ts) ends the job without a retry; any other abort (the worker
// shutting down) is a failure like any other.
import { mkdirSync } from 'node:fs';
import {
  type ArtifactStore,
  type CancelRequests,
  cancelledWhy,
  EtaErrorLog,
  EtaEstimator,
  type EventStream,
  HeadwayError,
  HISTORY_WINDOW,
  type HistoryStore,
  isCancelledReason,
  isJobId,
  JOB_ID_RULE,
  JobArtifacts,
  type JobData,
  type JobRecord,
  type PipelineCatalog,
  type PipelineDefinition,
  ProgressTracker,
  pathInside,
  type StageSpec,
  serverLog,
  stageBands,
  type UsualBand,
  validateInput,
} from '@headway/progress';
import { type Job, UnrecoverableError } from 'bullmq';
import { runCommand } from './command-runner.ts';
import { EventSink } from './event-sink.ts';
import { stallsBefore } from './lifecycle-events.ts';

export interface RunJobDeps {
  pipelines: PipelineCatalog;
  stream: EventStream;
  history: HistoryStore;
  cancels: Pick<CancelRequests, 'clear'>;
  dataDir: string;
  retentionSeconds: number;
  /** Where `ctx.artifacts.put` stores, with MAX_ARTIFACT_BYTES and MAX_ARTIFACTS_PER_JOB (per attempt). */
  artifacts: { store: ArtifactStore; maxBytes: number; maxCount: number };
}

/** How long a worker reuses a pipeline's history between jobs (HistoryStore's `maxAgeMs`). */
export const HISTORY_REUSE_MS = 1000;
/** How often a running job checks whether its stage has run past its usual time (tracker.tick). */
const SLOW_CHECK_MS = 1000;
const NO_HISTORY: readonly JobRecord[] = [];

export function createProcessor(deps: RunJobDeps) {
  // What a job learns from its history (the estimator and each stage's usual band) depends only
  // on that history, its pipeline and size, and neither is changed by a job: jobs started on the
  // same loaded history (HISTORY_REUSE_MS) share them instead of rebuilding them per job.
  const learned = new WeakMap<readonly JobRecord[], Map<string, { estimator: EtaEstimator; usual: ReadonlyMap<string, UsualBand> }>>();
  const learnedFrom = (pipeline: string, stages: readonly StageSpec[], history: readonly JobRecord[], size?: number) => {
    let built = learned.get(history);
    if (!built) learned.set(history, (built = new Map()));
    const key = `${pipeline}\n${size ?? ''}`;
    let models = built.get(key);
    if (!models) {
      models = { estimator: new EtaEstimator(stages, history, size), usual: stageBands(stages, history, size) };
      built.set(key, models);
    }
    return models;
  };

  return async function runJob(job: Job<JobData>, _token?: string, signal?: AbortSignal): Promise<unknown> {
    const jobId = job.id!;
    // Any client of the queue can add a job with an id of its choosing. One that could name
    // another folder or break a hash tag fails here, before anything is written for it.
    if (!isJobId(jobId)) throw new UnrecoverableError(`Refused job id ${JSON.stringify(jobId)}: ${JOB_ID_RULE}`);
    const attempt = Math.max(1, job.attemptsStarted);
    const definition = deps.pipelines.get(job.name);
    // Aborted by a cancel sent to this worker (BullMQ's signal) or found by the sink's first write.
    const abort = new AbortController();
    if (signal?.aborted) abort.abort(signal.reason);
    else signal?.addEventListener('abort', () => abort.abort(signal.reason), { once: true });
    const sink = new EventSink(
      job,
      deps.stream,
      (from, to) => {
        const window = from === to ? `event ${from}` : `events ${from}–${to}`;
        // Said in the job's own log, so a reader of its history sees why those seqs are absent.
        tracker.log(
          'warn',
          `Redis lost this job's ${window} (a restart or failover before they were saved or replicated); they are missing from its history`,
        );
      },
      (reason) => abort.abort(reason),
    );
    const stages = definition?.spec.stages ?? [];
    const input = definition ? validateInput(definition.spec.inputSchema, job.data?.input) : undefined;
    const size = definition && input?.ok ? safeSize(definition, input.value) : undefined;
    // Without its history a job still runs; its ETA then rests on its own pace.
    const history = definition ? await deps.history.load(definition.spec.name, HISTORY_WINDOW).catch(() => NO_HISTORY) : NO_HISTORY;
    /** Set once the attempt has failed or been cancelled: nothing the pipeline still emits follows that. */
    let ended = false;
    /** The ETAs this attempt showed, to record how far off they were. */
    const etaErrors = new EtaErrorLog();
    const { estimator, usual } = learnedFrom(job.name, stages, history, size);
    const tracker = new ProgressTracker({
      jobId,
      attempt,
      stages,
      estimator,
      usual,
      emit: (event) => {
        if (ended) return;
        if (event.kind === 'progress' && event.eta) etaErrors.note(tracker.elapsedSeconds, event.eta.seconds, event.eta.basis);
        sink.push(event);
        if (event.kind === 'progress' || event.kind === 'artifact') sink.snapshot(tracker.snapshot());
      },
    });
    /** Ends the job `cancelled`; BullMQ records it failed, without a retry, with the reason. */
    const endCancelled = async (reason: string): Promise<never> => {
      // Settles the first write, whichever way the cancel came: when it found the request, nothing
      // the run wrote is kept, not even `active` (nor a failure it reported since).
      ended = true;
      await sink.flush().catch(() => undefined);
      sink.admitCancel();
      ended = false;
      tracker.status('cancelled', cancelledWhy(reason));
      ended = true;
      await sink.flush({ expireSeconds: deps.retentionSeconds }).catch(() => undefined);
      await deps.cancels.clear(jobId).catch(() => undefined);
      throw new UnrecoverableError(reason);
    };
    sink.pushStall(stallsBefore(job, attempt), attempt - 1);
    // Who ran it, in its history (an API with tokens records the token's name).
    const runBy = attempt === 1 && typeof job.data?.runBy === 'string' ? job.data.runBy : undefined;
    // The first write (`active` and whatever the run emits in the same tick) also reads a cancel
    // asked before this attempt started, while the job waited or as it became active here.
    tracker.status('active', runBy && `run by ${runBy}`);
    const artifacts = new JobArtifacts({ jobId, attempt, tracker, ...deps.artifacts });
    const slowCheck = setInterval(() => tracker.tick(), SLOW_CHECK_MS);
    try {
      if (!definition || !input) {
        throw new UnrecoverableError(`Unknown pipeline "${job.name}": ${deps.pipelines.file} declares ${deps.pipelines.names.join(', ')}`);
      }
      if (!input.ok) throw new UnrecoverableError(`Invalid input: ${input.problems.join('; ')}`);
      const outputDir = pathInside(deps.dataDir, 'jobs', jobId);
      let madeOutputDir = false;
      const ctx = {
        jobId,
        attempt,
        input: input.value,
        signal: abort.signal,
        progress: tracker,
        artifacts,
        // Most jobs write no files; those that do get their directory on first use.
        get outputDir() {
          if (!madeOutputDir) mkdirSync(outputDir, { recursive: true });
          madeOutputDir = true;
          return outputDir;
        },
        sleep: (ms: number) => sleep(ms, abort.signal),
      };
      const result =
        definition.kind === 'code'
          ? await definition.run(ctx)
          : await runCommand(definition, ctx, {
              declaredIn: deps.pipelines.where(job.name),
              backpressure: () => sink.caughtUp(),
              artifacts,
            });
      // A put the pipeline did not await still lands before the job reads completed.
      await artifacts.settled();
      tracker.skipUntouched();
      tracker.status('completed');
      await sink.flush({ expireSeconds: deps.retentionSeconds });
      // A run too short to see the cancel its first write found: it ends cancelled all the same.
      if (sink.cancelRequested) return endCancelled(sink.cancelRequested);
      // Only finished jobs teach the estimator: a failed one's times say little about the next.
      const record = tracker.record(definition.spec.name, size);
      const etaError = etaErrors.errors(record.seconds);
      const finished = { ...record, jobId, finishedAt: new Date().toISOString(), ...(etaError && { etaError }) };
      await deps.history.record(finished).catch((error) => {
        serverLog.error('worker', `job ${jobId}: could not record its history: ${error.message}`);
      });
      return result;
    } catch (thrown) {
      if (abort.signal.aborted && isCancelledReason(abort.signal.reason)) return endCancelled(abort.signal.reason);
      if (sink.cancelRequested) return endCancelled(sink.cancelRequested);
      // An abort reason may be a plain string; BullMQ records a failedReason only for an Error.
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      // Only a cancel may end with a reason that reads as one (cancelled-reason.ts).
      if (isCancelledReason(error.message)) error.message = `Failed: ${error.message}`;
      const reason = error.message;
      // What the run published before it failed is listed before its failure.
      await artifacts.settled();
      // Bad input fails the same way every time, so only other errors are worth another attempt.
      const inputError = error instanceof HeadwayError && error.status < 500;
      const final = error instanceof UnrecoverableError || inputError || attempt >= (job.opts.attempts ?? 1);
      tracker.log('error', reason);
      tracker.status(final ? 'failed' : 'retrying', reason);
      ended = true;
      await sink.flush(final ? { expireSeconds: deps.retentionSeconds } : {}).catch(() => undefined);
      if (sink.cancelRequested) return endCancelled(sink.cancelRequested);
      throw inputError ? new UnrecoverableError(reason) : error;
    } finally {
      clearInterval(slowCheck);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function safeSize(definition: PipelineDefinition, input: Record<string, unknown>): number | undefined {
  try {
    const size = definition.sizeOf?.(input);
    return size !== undefined && Number.isFinite(size) && size > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}
