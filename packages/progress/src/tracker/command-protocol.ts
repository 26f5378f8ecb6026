// The line protocol of command pipelines, after GitHub Actions' workflow commands: a program
// reports progress by printing `::stage <name> [message]`, `::progress {json}` and
// `::log <level> <text>` on standard output; every other line is a log line. A line that cannot
// be understood becomes a warning that names the problem, so a typo never stops a run.
//
// `::artifact <path> [title]` publishes the file at `<path>` as an artifact of the open stage:
// relative to the program's working directory (where it started), or absolute; it must lie
// inside HEADWAY_OUTPUT_DIR or that working directory (symbolic links followed), else the line
// is refused with a warning. Inside HEADWAY_OUTPUT_DIR its artifact name is its path relative
// to that folder (`charts/radar.svg`), elsewhere its base name. A path with spaces is written
// as a JSON string: `::artifact "my chart.svg" Completeness`. When the program exits, however
// it exits, every file it wrote or changed in HEADWAY_OUTPUT_DIR and did not publish is
// collected the same way (up to MAX_ARTIFACTS_PER_JOB); symbolic links there are skipped.
import { type Static, Type as t } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LogLevel, Phase } from '../model/events.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import type { ProgressTracker } from './progress-tracker.ts';

/** Longer lines are cut here as they are read; the rest of the line is dropped. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Every event is kept up to EVENT_STREAM_MAXLEN times per job, so its metadata stays small. */
const MAX_METADATA_CHARS = 4096;

export const ProgressUpdate = t.Object(
  {
    stage: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
    phase: t.Optional(Phase),
    message: t.Optional(t.String()),
    stageProgress: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
    iteration: t.Optional(t.Integer({ minimum: 1 })),
    metadata: t.Optional(t.Record(t.String(), t.Unknown())),
  },
  { additionalProperties: false },
);
export type ProgressUpdate = Static<typeof ProgressUpdate>;

export type ProtocolLine =
  | { kind: 'stage'; stage: string; message?: string }
  | { kind: 'progress'; update: ProgressUpdate }
  | { kind: 'log'; level: LogLevel; message: string }
  | { kind: 'artifact'; path: string; title?: string }
  | { kind: 'text'; message: string }
  | { kind: 'invalid'; problem: string };

/** How much of an ignored line its warning quotes. */
const QUOTED_CHARS = 200;
/** The seed's terminal print: `[stage] message`. */
const BRACKET_LINE = /^\[([A-Za-z0-9_.-]{1,64})\] ?(.*)$/;
const COMMAND = /^::([a-z][a-z-]*)(?:\s+([\s\S]*))?$/;
const LEVEL_ALIASES: Record<string, LogLevel> = { warning: 'warn', notice: 'info' };

export function parseProtocolLine(line: string): ProtocolLine {
  const match = COMMAND.exec(line);
  if (!match) return { kind: 'text', message: line };
  const [, command, rest = ''] = match;
  switch (command) {
    case 'stage': {
      const [stage, ...words] = rest.trim().split(/\s+/);
      if (!stage) return { kind: 'invalid', problem: '`::stage` needs a stage name' };
      const message = words.join(' ');
      return { kind: 'stage', stage, ...(message && { message }) };
    }
    case 'progress':
      return parseProgress(rest);
    case 'log': {
      const [, word = '', text = ''] = /^(\S*)\s?([\s\S]*)$/.exec(rest)!;
      const level = LEVEL_ALIASES[word] ?? word;
      if (!Value.Check(LogLevel, level)) {
        return { kind: 'invalid', problem: `\`::log\` level "${word}" is not one of debug, info, warn, error` };
      }
      return { kind: 'log', level, message: text };
    }
    case 'artifact':
      return parseArtifact(rest);
    default:
      return { kind: 'invalid', problem: `unknown command \`::${command}\` (known: ::stage, ::progress, ::log, ::artifact)` };
  }
}

/** `<path> [title]`, the path a JSON string when it holds spaces. */
function parseArtifact(rest: string): ProtocolLine {
  const text = rest.trim();
  const quoted = /^"(?:[^"\\]|\\.)*"/.exec(text)?.[0];
  let path: string;
  if (quoted) {
    try {
      path = JSON.parse(quoted) as string;
    } catch (error) {
      return { kind: 'invalid', problem: `\`::artifact\` path is not a valid JSON string: ${(error as Error).message}` };
    }
  } else path = /^\S*/.exec(text)![0];
  if (!path) return { kind: 'invalid', problem: '`::artifact` needs a file path' };
  const title = text.slice(quoted ? quoted.length : path.length).trim();
  return { kind: 'artifact', path, ...(title && { title }) };
}

function parseProgress(json: string): ProtocolLine {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { kind: 'invalid', problem: `\`::progress\` needs one JSON object on the line: ${(error as Error).message}` };
  }
  if (Value.Check(ProgressUpdate, value)) {
    const size = value.metadata ? JSON.stringify(value.metadata).length : 0;
    if (size <= MAX_METADATA_CHARS) return { kind: 'progress', update: value };
    return { kind: 'invalid', problem: `\`::progress\` metadata of ${size} characters is over the ${MAX_METADATA_CHARS}-character limit` };
  }
  const first = [...Value.Errors(ProgressUpdate, value)][0];
  const where = first?.path ? `${first.path}: ` : '';
  return { kind: 'invalid', problem: `\`::progress\` ${where}${first?.message ?? 'is not valid'}` };
}

export interface ProtocolOptions {
  /** Also read `[stage] message` lines naming a declared stage (CommandSpec's bracketStages). */
  bracketStages?: boolean;
  /** Publishes the file of an `::artifact` line (the worker resolves and checks the path). */
  onArtifact?: (path: string, title?: string) => void;
}

/**
 * Applies a program's lines to its job's tracker. One stage is open at a time: starting another
 * completes it, and so does the program's successful exit.
 */
export class CommandProtocol {
  readonly #tracker: ProgressTracker;
  readonly #stages: ReadonlyMap<string, StageSpec>;
  /** Where the stages are declared, for messages: `pipeline "x" in headway.config.ts`. */
  readonly #declaredIn: string;
  readonly #bracketStages: boolean;
  readonly #onArtifact?: (path: string, title?: string) => void;
  #open?: string;

  constructor(
    tracker: ProgressTracker,
    stages: readonly StageSpec[],
    declaredIn: string,
    { bracketStages = false, onArtifact }: ProtocolOptions = {},
  ) {
    this.#tracker = tracker;
    this.#stages = new Map(stages.map((s) => [s.name, s]));
    this.#declaredIn = declaredIn;
    this.#bracketStages = bracketStages;
    this.#onArtifact = onArtifact;
  }

  stdout(line: string): void {
    const parsed = parseProtocolLine(line);
    switch (parsed.kind) {
      case 'stage':
        if (this.#known(parsed.stage, '::stage')) this.#start(parsed.stage, parsed.message ?? this.#stages.get(parsed.stage)!.label);
        return;
      case 'progress':
        return this.#progress(parsed.update);
      case 'log':
        return this.#tracker.log(parsed.level, parsed.message, this.#open);
      case 'artifact':
        if (this.#onArtifact) return this.#onArtifact(parsed.path, parsed.title);
        return this.#warn(`\`::artifact\` is not available here; line ignored: ${line.slice(0, QUOTED_CHARS)}`);
      case 'text':
        if (this.#bracketStages && this.#bracketed(line)) return;
        return this.#tracker.log('info', line, this.#open);
      case 'invalid':
        return this.#warn(`${parsed.problem}; line ignored: ${line.length > QUOTED_CHARS ? `${line.slice(0, QUOTED_CHARS)}…` : line}`);
    }
  }

  stderr(line: string): void {
    this.#tracker.log('warn', line, this.#open);
  }

  /** The program exited: its open stage completes, or ends in error with `failure`. */
  finish(failure?: string): void {
    if (failure === undefined) return this.#closeOpen();
    if (this.#open) this.#tracker.emit(this.#open, 'error', failure);
    this.#open = undefined;
  }

  /** A `[stage] message` line naming a declared stage: that stage runs (starting it if need be). */
  #bracketed(line: string): boolean {
    const [, stage, message = ''] = BRACKET_LINE.exec(line) ?? [];
    if (!stage || !this.#stages.has(stage)) return false;
    if (stage === this.#open) this.#tracker.emit(stage, 'running', message);
    else this.#start(stage, message || this.#stages.get(stage)!.label);
    return true;
  }

  #progress(update: ProgressUpdate): void {
    const stage = update.stage ?? this.#open;
    if (!stage) return this.#warn('`::progress` names no stage and none is open; start one with `::stage <name>`');
    if (!this.#known(stage, '::progress')) return;
    const phase = update.phase ?? 'running';
    if (stage !== this.#open && (phase === 'starting' || phase === 'running')) this.#closeOpen();
    if (phase === 'starting' || phase === 'running') this.#open = stage;
    else if (stage === this.#open) this.#open = undefined;
    this.#tracker.emit(stage, phase, update.message ?? '', {
      ...(update.stageProgress !== undefined && { stageProgress: update.stageProgress }),
      ...(update.iteration !== undefined && { iteration: update.iteration }),
      ...(update.metadata && { metadata: update.metadata }),
    });
  }

  #start(stage: string, message: string): void {
    if (stage !== this.#open) this.#closeOpen();
    this.#open = stage;
    this.#tracker.emit(stage, 'starting', message);
  }

  #closeOpen(): void {
    if (this.#open) this.#tracker.emit(this.#open, 'complete', `${this.#stages.get(this.#open)!.label}: done`);
    this.#open = undefined;
  }

  #known(stage: string, command: string): boolean {
    if (this.#stages.has(stage)) return true;
    const known = [...this.#stages.keys()].join(', ');
    this.#warn(`\`${command}\`: ${this.#declaredIn} declares no stage "${stage}" (its stages: ${known}); line ignored`);
    return false;
  }

  #warn(message: string): void {
    this.#tracker.log('warn', message, this.#open);
  }
}
