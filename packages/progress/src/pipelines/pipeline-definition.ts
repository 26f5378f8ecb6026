// How a pipeline is declared in `headway.config.ts`: either code run in the worker with a context
// (definePipeline), or an external program whose output speaks the line protocol (commandPipeline).
import { type Static, type TObject, type TSchema, Type as t } from '@sinclair/typebox';
import { labelOf } from '../model/input-fields.ts';
import type { PipelineSpec, StageSpec } from '../model/pipeline-spec.ts';
import type { ArtifactPublisher } from '../tracker/artifact-publisher.ts';
import type { ProgressTracker } from '../tracker/progress-tracker.ts';

export interface PipelineContext<I> {
  jobId: string;
  attempt: number;
  /** Validated input, with the schema's defaults filled in. */
  input: I;
  /** Aborted when the job is cancelled or the worker shuts down; long steps must honour it. */
  signal: AbortSignal;
  /** Report stage phases, stage progress, iterations and log lines here. */
  progress: ProgressTracker;
  /**
   * Publishes a file of this run: `artifacts.put(name, body, { contentType?, title? })` with body a
   * string, bytes, a Blob, a ReadableStream or `{ path }` (a file). It streams to the artifact store
   * and appears in the job as an `artifact` event of the open stage; a refusal (bad name, more
   * than MAX_ARTIFACTS_PER_JOB, over MAX_ARTIFACT_BYTES, a store error) is a warn line and a result
   * with `stored: false`, never a failure. Await it: the job's end waits for puts still running.
   */
  artifacts: ArtifactPublisher;
  /** A working directory for this job's files, created when first asked for; only what is put in `artifacts` is shown. */
  readonly outputDir: string;
  /** Waits `ms`, rejecting with the abort reason if the job is cancelled meanwhile. */
  sleep(ms: number): Promise<void>;
}

/** A stage as declared: the label defaults to the name in words ("gap_analysis" → "Gap analysis"). */
export type StageDeclaration = Omit<StageSpec, 'label'> & { label?: string };

interface Declaration<I extends TSchema> {
  /** The job name in BullMQ and the `pipeline` of `POST /api/jobs`. */
  name: string;
  title?: string;
  description?: string;
  stages: readonly StageDeclaration[];
  /** Input options (a TypeBox object); clients build the Run form from it. No options when left out. */
  inputSchema?: I;
  /** What a job runs on when it is created without input. */
  sampleInput?: Record<string, unknown>;
  /**
   * The largest input a job takes, in bytes of JSON (`POST /api/jobs` answers 413 past it): every
   * job keeps its input in Redis until it is removed. DEFAULT_MAX_INPUT_BYTES when left out.
   */
  maxInputBytes?: number;
  /** The job's size for the ETA (e.g. papers in the corpus): stage times are scaled by it. */
  sizeOf?(input: Static<I>): number | undefined;
}

export interface CodePipelineDeclaration<I extends TSchema> extends Declaration<I> {
  run(ctx: PipelineContext<Static<I>>): Promise<unknown>;
}

export interface CommandPipelineDeclaration<I extends TSchema> extends Declaration<I> {
  /** The program and its fixed arguments; a program without a `/` is looked up on PATH. */
  command: readonly string[];
  /** Arguments that depend on the job's input, appended to `command`. */
  args?(input: Static<I>): readonly string[];
  /** Relative to the config file's folder; the config file's folder when left out. */
  cwd?: string;
  /** Added to the worker's environment. */
  env?: Readonly<Record<string, string>>;
  /** The job fails when the program runs longer; no limit when left out. */
  timeoutSeconds?: number;
  /** Between SIGTERM and SIGKILL when the job is cancelled or times out. */
  killGraceSeconds?: number;
  /** Lines per second read from the program; a faster program waits on its writes, nothing is dropped. */
  maxLinesPerSecond?: number;
  /**
   * Also read `[stage] message` lines (the seed's prints) that name a declared stage as that
   * stage running, so a program that prints them drives the stages unchanged.
   */
  bracketStages?: boolean;
}

interface Definition<I extends TSchema> {
  spec: PipelineSpec<I>;
  sizeOf?(input: Static<I>): number | undefined;
}

export interface CodePipeline<I extends TSchema = TSchema> extends Definition<I> {
  kind: 'code';
  run(ctx: PipelineContext<Static<I>>): Promise<unknown>;
}

export interface CommandSpec<I extends TSchema = TSchema> {
  argv: readonly string[];
  args?(input: Static<I>): readonly string[];
  /** As declared; the config loader makes it absolute. */
  cwd?: string;
  env: Readonly<Record<string, string>>;
  timeoutSeconds?: number;
  killGraceSeconds: number;
  maxLinesPerSecond: number;
  bracketStages: boolean;
}

export interface CommandPipeline<I extends TSchema = TSchema> extends Definition<I> {
  kind: 'command';
  command: CommandSpec<I>;
}

export type PipelineDefinition<I extends TSchema = TSchema> = CodePipeline<I> | CommandPipeline<I>;

const DEFAULT_KILL_GRACE_SECONDS = 5;
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024;
export const DEFAULT_MAX_LINES_PER_SECOND = 10_000;

const NO_OPTIONS = t.Object({});

export function definePipeline<I extends TSchema = TObject<Record<string, never>>>(
  declaration: CodePipelineDeclaration<I>,
): CodePipeline<I> {
  const { run, sizeOf } = declaration;
  return { kind: 'code', spec: specOf(declaration), run, ...(sizeOf && { sizeOf }) };
}

export function commandPipeline<I extends TSchema = TObject<Record<string, never>>>(
  declaration: CommandPipelineDeclaration<I>,
): CommandPipeline<I> {
  const { sizeOf, command, args, cwd, env, timeoutSeconds, killGraceSeconds, maxLinesPerSecond, bracketStages } = declaration;
  return {
    kind: 'command',
    spec: specOf(declaration),
    ...(sizeOf && { sizeOf }),
    command: {
      argv: command,
      ...(args && { args }),
      ...(cwd !== undefined && { cwd }),
      env: env ?? {},
      ...(timeoutSeconds !== undefined && { timeoutSeconds }),
      killGraceSeconds: killGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS,
      maxLinesPerSecond: maxLinesPerSecond ?? DEFAULT_MAX_LINES_PER_SECOND,
      bracketStages: bracketStages ?? false,
    },
  };
}

function specOf<I extends TSchema>(d: Declaration<I>): PipelineSpec<I> {
  return {
    name: d.name,
    title: d.title ?? d.name,
    description: d.description ?? '',
    stages: d.stages.map((s) => ({ ...s, label: s.label ?? labelOf(s.name) })),
    inputSchema: d.inputSchema ?? (NO_OPTIONS as unknown as I),
    sampleInput: d.sampleInput ?? {},
    maxInputBytes: d.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES,
  };
}
