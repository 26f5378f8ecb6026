// `headway.config.ts`: the pipelines a deployment runs, declared in one file that the API and
// every worker load. A mistake in it stops the process at start with the file and the pipeline
// named, rather than failing jobs one by one later.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PipelineInfo } from '../model/pipeline-spec.ts';
import type { PipelineDefinition } from './pipeline-definition.ts';
import { validateInput } from './validate-input.ts';
import { allWebhooks, checkWebhooks, type Webhook, type WebhookConfig, webhookFromSettings } from './webhook-config.ts';

export interface HeadwayConfig {
  pipelines: readonly PipelineDefinition[];
  /** Called when jobs end (webhook-config.ts); WEBHOOK_URL adds one more. */
  webhooks?: readonly WebhookConfig[];
}

/** Types the config file's default export. */
export function defineConfig(config: HeadwayConfig): HeadwayConfig {
  return config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export class PipelineCatalog {
  readonly #byName: ReadonlyMap<string, PipelineDefinition>;

  constructor(
    /** The config file, as shown in messages (relative to the working directory when inside it). */
    readonly file: string,
    pipelines: readonly PipelineDefinition[],
    /** The file's `webhooks`, checked. */
    readonly webhooks: readonly Webhook[] = [],
  ) {
    this.#byName = new Map(pipelines.map((p) => [p.spec.name, p]));
  }

  get(name: string): PipelineDefinition | undefined {
    return this.#byName.get(name);
  }

  get names(): string[] {
    return [...this.#byName.keys()];
  }

  /** What clients see of each pipeline: no run function, the input schema as JSON Schema. */
  infos(): PipelineInfo[] {
    return [...this.#byName.values()].map((p) => p.spec);
  }

  /** For messages: `pipeline "x" in headway.config.ts`. */
  where(name: string): string {
    return `pipeline "${name}" in ${this.file}`;
  }
}

/** The environment's webhook (WEBHOOK_URL …, sharedSettings), added to the file's. */
type WebhookSettings = Parameters<typeof webhookFromSettings>[0];

/** Imports the config file and checks every declaration in it. */
export async function loadConfig(path: string, settings: WebhookSettings = {}): Promise<PipelineCatalog> {
  const file = resolve(path);
  const shown = displayPath(file);
  if (!existsSync(file)) throw new ConfigError(`${shown}: no such file (set HEADWAY_CONFIG to the config's path)`);
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new ConfigError(`${shown}: could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  return checkConfig(module.default, file, settings);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Stage names travel in `::stage <name>` lines, so no spaces.
const STAGE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a config's default export; `file` is its path, for messages and relative `cwd`s. */
export function checkConfig(config: unknown, file: string, settings: WebhookSettings = {}): PipelineCatalog {
  const shown = displayPath(file);
  const fail = (problem: string): never => {
    throw new ConfigError(`${shown}: ${problem}`);
  };
  const pipelines = (config as HeadwayConfig | undefined)?.pipelines;
  if (!Array.isArray(pipelines)) return fail('the default export must be defineConfig({ pipelines: [...] })');
  if (pipelines.length === 0) return fail('declares no pipelines');
  const seen = new Set<string>();
  const checked = pipelines.map((pipeline: PipelineDefinition, i) => {
    if (!pipeline || (pipeline.kind !== 'code' && pipeline.kind !== 'command') || !pipeline.spec) {
      return fail(`pipelines[${i}] is not a pipeline; declare it with definePipeline() or commandPipeline()`);
    }
    const { name } = pipeline.spec;
    if (typeof name !== 'string' || !NAME.test(name)) {
      return fail(`pipelines[${i}]: the name ${JSON.stringify(name)} must be 1–64 letters, digits, ".", "_" or "-"`);
    }
    const problem = (text: string): never => fail(`pipeline "${name}": ${text}`);
    if (seen.has(name)) problem('two pipelines have this name');
    seen.add(name);
    checkStages(pipeline, problem);
    const sample = validateInput(pipeline.spec.inputSchema, pipeline.spec.sampleInput);
    if (!sample.ok) problem(`sampleInput does not match inputSchema: ${sample.problems[0]}`);
    const { maxInputBytes } = pipeline.spec;
    if (maxInputBytes !== undefined && !(Number.isInteger(maxInputBytes) && maxInputBytes >= 1))
      problem('maxInputBytes must be an integer ≥ 1');
    return pipeline.kind === 'command' ? checkCommand(pipeline, dirname(file), problem) : pipeline;
  });
  const declared = checkWebhooks((config as HeadwayConfig).webhooks, [...seen], fail);
  let webhooks: Webhook[];
  try {
    webhooks = allWebhooks(declared, webhookFromSettings(settings, [...seen]));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return new PipelineCatalog(shown, checked, webhooks);
}

function checkStages(pipeline: PipelineDefinition, problem: (text: string) => never): void {
  const { stages } = pipeline.spec;
  if (!Array.isArray(stages) || stages.length === 0) problem('declares no stages');
  const names = new Set<string>();
  for (const stage of stages) {
    if (typeof stage?.name !== 'string' || !STAGE_NAME.test(stage.name)) {
      problem(`stage name ${JSON.stringify(stage?.name)} must be 1–64 letters, digits, ".", "_" or "-"`);
    }
    if (names.has(stage.name)) problem(`two stages are named "${stage.name}"`);
    names.add(stage.name);
    if (!(Number.isFinite(stage.weight) && stage.weight > 0)) problem(`stage "${stage.name}": weight must be a number > 0`);
    if (stage.expectedIterations !== undefined && !(Number.isInteger(stage.expectedIterations) && stage.expectedIterations >= 1)) {
      problem(`stage "${stage.name}": expectedIterations must be an integer ≥ 1`);
    }
  }
  if (typeof pipeline.spec.inputSchema !== 'object' || (pipeline.spec.inputSchema as { type?: unknown }).type !== 'object') {
    problem('inputSchema must be an object schema, e.g. Type.Object({ ... }) from @sinclair/typebox');
  }
}

function checkCommand(pipeline: PipelineDefinition & { kind: 'command' }, base: string, problem: (text: string) => never) {
  const { argv, cwd, timeoutSeconds, killGraceSeconds, maxLinesPerSecond, env } = pipeline.command;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string') || !argv[0]) {
    problem('command must be a non-empty list of strings, the program first');
  }
  const dir = resolve(base, cwd ?? '.');
  if (!isDirectory(dir)) problem(`cwd ${JSON.stringify(cwd)} is not a folder (${displayPath(dir)})`);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) problem('timeoutSeconds must be > 0');
  if (!(killGraceSeconds >= 0)) problem('killGraceSeconds must be ≥ 0');
  if (!(maxLinesPerSecond > 0)) problem('maxLinesPerSecond must be > 0');
  if (!Object.values(env).every((v) => typeof v === 'string')) problem('env values must be strings');
  return { ...pipeline, command: { ...pipeline.command, cwd: dir } };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
