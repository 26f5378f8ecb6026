// Runs a command pipeline: starts its program in a process group of its own, feeds it the job's
// input on standard input, and turns its output into the job's events through the line protocol.
// A cancel, a timeout or a worker shutdown stops the whole group: SIGTERM, then SIGKILL after
// the declared grace. Nothing the program prints can take more than a bounded share of the worker.
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CommandPipeline,
  CommandProtocol,
  type JobArtifacts,
  MAX_LINE_BYTES,
  type PipelineCatalog,
  type PipelineContext,
} from '@headway/progress';
import { UnrecoverableError } from 'bullmq';
import { CommandOutputs } from './command-outputs.ts';
import { readLines } from './line-reader.ts';

export interface CommandRunOptions {
  /** Where the pipeline is declared, for messages. */
  declaredIn: string;
  /** Resolves when the job's events have caught up enough to read more of the program's output. */
  backpressure: () => Promise<void> | undefined;
  /** Where the program's `::artifact` lines and the files it leaves in HEADWAY_OUTPUT_DIR go. */
  artifacts: JobArtifacts;
}

/** Standard error lines kept for the failure message, and how much of each. */
const STDERR_TAIL_LINES = 5;
const STDERR_TAIL_CHARS = 300;
const GROUP_POLL_MS = 50;
const PACE_SLEEP_MS = 10;
/** After SIGKILL, how long to wait for the group to be reaped. */
const KILLED_WAIT_MS = 1000;

export async function runCommand(
  pipeline: CommandPipeline,
  ctx: PipelineContext<Record<string, unknown>>,
  { declaredIn, backpressure, artifacts }: CommandRunOptions,
): Promise<{ exitCode: 0 }> {
  const { argv, args, cwd = process.cwd(), env, timeoutSeconds, killGraceSeconds, maxLinesPerSecond } = pipeline.command;
  const program = argv[0]!;
  const missing = missingProgram(program, cwd, env.PATH);
  if (missing) throw new UnrecoverableError(`${declaredIn}: ${missing}`);
  const outputs = new CommandOutputs(artifacts, ctx.progress, ctx.outputDir, cwd);
  const protocol = new CommandProtocol(ctx.progress, pipeline.spec.stages, declaredIn, {
    bracketStages: pipeline.command.bracketStages,
    onArtifact: (path, title) => outputs.publish(path, title),
  });
  const stderrTail: string[] = [];

  if (ctx.signal.aborted) throw ctx.signal.reason;
  await outputs.start();
  const cmd = [...argv, ...(args?.(ctx.input) ?? [])];
  const proc = start(
    cmd,
    cwd,
    {
      ...process.env,
      // Python buffers a pipe's output in 8 KB blocks; a progress line should arrive when printed.
      PYTHONUNBUFFERED: '1',
      ...env,
      HEADWAY_JOB_ID: ctx.jobId,
      HEADWAY_ATTEMPT: String(ctx.attempt),
      HEADWAY_OUTPUT_DIR: ctx.outputDir,
    },
    JSON.stringify(ctx.input),
    declaredIn,
  );
  const group = new ProcessGroup(proc.pid, killGraceSeconds * 1000);

  let stoppedBecause: string | undefined;
  const stop = (why: string) => {
    stoppedBecause ??= why;
    group.terminate();
  };
  const onAbort = () => stop('cancelled');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutSeconds !== undefined
      ? setTimeout(() => stop(`ran longer than its ${timeoutSeconds} s timeout`), timeoutSeconds * 1000)
      : undefined;

  // After an `::artifact` line, the next lines wait until its file is stored, so events keep their order.
  const pace = pacer(maxLinesPerSecond, () => outputs.pending() ?? backpressure());
  const read = (stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) =>
    readLines(stream, {
      maxLineBytes: MAX_LINE_BYTES,
      pace,
      onLine(line, cutFrom) {
        if (cutFrom !== undefined) {
          protocol.stderr(`A line of ${cutFrom} bytes was cut to its first ${MAX_LINE_BYTES} bytes`);
        }
        onLine(line);
      },
    });

  try {
    const [exitCode] = await Promise.all([
      proc.exited.then((code) => {
        // What the program left running would hold its output open: the group goes with it.
        group.terminate();
        return code;
      }),
      read(proc.stdout, (line) => protocol.stdout(line)),
      read(proc.stderr, (line) => {
        protocol.stderr(line);
        stderrTail.push(line.length > STDERR_TAIL_CHARS ? `${line.slice(0, STDERR_TAIL_CHARS)}…` : line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      }),
    ]);
    await group.gone;
    // However it ended, what the program left is kept, in the stage it was in.
    await outputs.collect();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (stoppedBecause || exitCode !== 0) {
      const how = stoppedBecause ?? (proc.signalCode ? `was killed by ${proc.signalCode}` : `exited with code ${exitCode}`);
      const tail = stderrTail.length > 0 ? `; its last lines on standard error:\n${stderrTail.join('\n')}` : '';
      const failure = `${program} ${how}${tail}`;
      protocol.finish(failure);
      throw new Error(failure);
    }
    protocol.finish();
    return { exitCode: 0 };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    group.terminate();
  }
}

/** Why `program` cannot be started from `cwd`, or undefined when it can. */
export function missingProgram(program: string, cwd: string, PATH = process.env.PATH): string | undefined {
  if (program.includes('/')) {
    const path = resolve(cwd, program);
    try {
      accessSync(path, constants.X_OK);
      return undefined;
    } catch {
      return `program "${program}" is not an executable file (looked for ${path})`;
    }
  }
  return Bun.which(program, { PATH: PATH ?? '' }) ? undefined : `program "${program}" was not found on PATH`;
}

/** The command pipelines of a catalog whose program is missing, each with why. */
export function missingPrograms(catalog: PipelineCatalog): string[] {
  return catalog.names.flatMap((name) => {
    const pipeline = catalog.get(name);
    if (pipeline?.kind !== 'command') return [];
    const { argv, cwd = process.cwd(), env } = pipeline.command;
    const missing = missingProgram(argv[0]!, cwd, env.PATH);
    return missing ? [`${catalog.where(name)}: ${missing}`] : [];
  });
}

/**
 * Waits after each line: for the job's events to catch up, and for its share of
 * `maxLinesPerSecond` (a token bucket holding a twentieth of a second's lines, so bursts stay short).
 * Meanwhile the pipe fills and the program's writes block, so nothing is lost.
 */
function pacer(maxLinesPerSecond: number, backpressure: () => Promise<void> | undefined) {
  const burst = Math.max(1, maxLinesPerSecond / 20);
  let tokens = burst;
  let last = performance.now();
  return (): Promise<void> | undefined => {
    // The clock is read only when the bucket looks empty: most lines cost a subtraction.
    if (--tokens < 0) {
      const now = performance.now();
      tokens = Math.min(burst - 1, tokens + ((now - last) / 1000) * maxLinesPerSecond);
      last = now;
    }
    const behind = backpressure();
    if (tokens >= 0) return behind;
    // Not less than PACE_SLEEP_MS, so lines are let through (and written to Redis) in batches.
    const waitMs = Math.max(PACE_SLEEP_MS, (-tokens / maxLinesPerSecond) * 1000);
    return behind ? behind.then(() => Bun.sleep(waitMs)) : Bun.sleep(waitMs);
  };
}

/** Starts the program as the leader of a new process group, so it can be stopped with its children. */
function start(cmd: string[], cwd: string, env: Record<string, string | undefined>, input: string, declaredIn: string) {
  try {
    return Bun.spawn(cmd, { cwd, env, stdin: new Blob([input]), stdout: 'pipe', stderr: 'pipe', detached: true });
  } catch (error) {
    throw new UnrecoverableError(`${declaredIn}: could not start ${cmd[0]}: ${(error as Error).message}`);
  }
}

/** A program's process group: stopped as a whole, gently first. */
class ProcessGroup {
  #terminating = false;
  #resolveGone!: () => void;
  /** Resolves when no process of the group is left (after `terminate`). */
  readonly gone = new Promise<void>((resolve) => (this.#resolveGone = resolve));

  constructor(
    readonly pgid: number,
    readonly graceMs: number,
  ) {}

  terminate(): void {
    if (this.#terminating) return;
    this.#terminating = true;
    if (!this.#signal('SIGTERM')) return this.#resolveGone();
    const killAt = performance.now() + this.graceMs;
    let killed = false;
    const poll = setInterval(() => {
      const now = performance.now();
      if (!killed && now >= killAt) killed = this.#signal('SIGKILL');
      // A process killed but not yet reaped by its parent still answers; do not wait on it for ever.
      if (this.#signal(0) && now < killAt + KILLED_WAIT_MS) return;
      clearInterval(poll);
      this.#resolveGone();
    }, GROUP_POLL_MS);
  }

  /** Sends `signal` to the group; false when none of its processes is left. */
  #signal(signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.pgid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
