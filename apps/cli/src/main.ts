#!/usr/bin/env bun
// `headway run <pipeline>` enqueues a job and follows it; `headway watch <jobId>` follows one that
// exists: progress bar, stage, ETA and log in the terminal, and an exit code from the job.
// `headway artifacts <jobId>` lists or downloads the files a job published. `headway token new`
// makes a person's token and its line of HEADWAY_TOKENS_FILE.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isJobId, type JobSummary, type PipelineInfo } from '@headway/progress/client';
import { callApi } from './api-call.ts';
import { artifactsCommand } from './artifacts-command.ts';
import { notifyEnd } from './end-notice.ts';
import { env } from './env.ts';
import { EXIT_INTERRUPTED, EXIT_USAGE, followJob } from './follow-job.ts';
import { pipelineLines } from './pipeline-lines.ts';
import { TerminalOutput } from './terminal-output.ts';
import { newTokenEntry } from './token-command.ts';

const USAGE = `Usage:
  headway run <pipeline> [--input file.json] [--name text] [--notify] [--api URL]
  headway watch <jobId> [--notify] [--api URL]
  headway pipelines [--api URL]        the pipelines the API declares, with their input options
  headway artifacts <jobId> [name...] [--download DIR] [--attempt N] [--api URL]
                                       the files the job published: name, size, type, stage,
                                       attempt and title; with --download, saved under DIR
  headway token new <name> <role>      a new token (first line, shown once) and its line for
                                       HEADWAY_TOKENS_FILE (second line); role: viewer, operator
                                       or admin

  --input   the job's input, a JSON object (- reads standard input); without it the pipeline's sample
  --name    a display name for the job
  --notify  when the job ends: ring the terminal's bell, and show a desktop notification where
            notify-send is installed
  --download  save the newest attempt's artifacts (or those named) under DIR, each in its
            folders (charts/radar.svg goes to DIR/charts/radar.svg) and checked against its
            SHA-256; a name that would leave DIR is refused
  --attempt the attempt to list or download (default: the newest)
  --api     the API's URL (default: $HEADWAY_API_URL, else http://127.0.0.1:$PORT or :3000)

An API started with API_TOKEN or HEADWAY_TOKENS_FILE needs a token in $HEADWAY_API_TOKEN.

Exit codes: 0 the job completed, 1 it failed or was cancelled, 2 usage error, input the API
refused, or unknown job, 130 interrupted (Ctrl-C stops watching; the job keeps running).
headway artifacts: 0 listed or all saved, 1 the API could not answer or a file was not saved
(refused name, SHA-256 mismatch), 2 usage error, unknown job or no artifact of that name.`;

/** 128 + SIGPIPE: what a shell reports for a writer whose reader went away. */
const EXIT_OUTPUT_CLOSED = 141;

/** A mistake in how headway was called; `showUsage` when the shape of the command is wrong. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      input: { type: 'string', short: 'i' },
      name: { type: 'string' },
      api: { type: 'string' },
      download: { type: 'string', short: 'd' },
      attempt: { type: 'string' },
      notify: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, target, ...extra] = positionals;
  if (!command) throw new UsageError('a command is needed: run, watch, pipelines, artifacts or token', true);
  if (values.notify && (command === 'pipelines' || command === 'artifacts' || command === 'token'))
    throw new UsageError('--notify is for headway run and watch', true);
  if (command === 'pipelines') return listPipelines(target, values);
  if (command === 'token') return tokenCommand(target, extra);
  if (command === 'artifacts') return listArtifacts(target, extra, values);
  if (values.download !== undefined || values.attempt !== undefined)
    throw new UsageError('--download and --attempt are for headway artifacts', true);
  if (command !== 'run' && command !== 'watch') throw new UsageError(`unknown command "${command}"`, true);
  if (!target) throw new UsageError(command === 'run' ? 'which pipeline?' : 'which job?', true);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, true);
  if (command === 'watch' && (values.input !== undefined || values.name !== undefined)) {
    throw new UsageError('--input and --name are for headway run', true);
  }
  const apiUrl = apiBase(values.api ?? env.apiUrl);

  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());

  let jobId = target;
  if (command === 'run') {
    const input = values.input === undefined ? undefined : await readInput(values.input);
    const body = { pipeline: target, input, name: values.name };
    const created = await callApi<JobSummary>(apiUrl, '/api/jobs', {
      method: 'POST',
      body,
      token: env.token,
      signal: interrupt.signal,
    }).catch((error) => {
      if (interrupt.signal.aborted) return undefined;
      throw error;
    });
    if (!created) return EXIT_INTERRUPTED;
    if (!created.ok) {
      for (const line of created.problems) console.error(`headway: ${line}`);
      return created.exitCode;
    }
    jobId = created.body.id;
  } else if (!isJobId(jobId)) {
    throw new UsageError(`"${jobId}" is not a job id (letters, digits, _ . -, at most 64)`);
  }

  const live = Boolean(process.stdout.isTTY);
  const color = live && !env.noColor;
  // Whoever read the output has gone (`| head`): stop quietly, with the status a shell gives SIGPIPE.
  const readerGone = () => process.exit(EXIT_OUTPUT_CLOSED);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone();
  });
  return followJob(jobId, {
    origin: apiUrl.replace(/^http/, 'ws'),
    token: env.token,
    out: new TerminalOutput(process.stdout, live, readerGone),
    complain: (message) => console.error(`headway: ${message}`),
    color,
    signal: interrupt.signal,
    ...(values.notify && { onEnd: (end) => notifyEnd({ jobId, ...end }, { write: (text) => process.stderr.write(text) }) }),
  });
}

/** `headway token new <name> <role>`: the token on one line, its tokens-file entry on the next. */
function tokenCommand(sub: string | undefined, [name, role, ...extra]: string[]): number {
  if (sub !== 'new') throw new UsageError('headway token new <name> <role>', true);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, true);
  const made = newTokenEntry(name, role);
  if (!made.ok) throw new UsageError(made.problem);
  console.log(made.token);
  console.log(JSON.stringify(made.entry));
  console.error(
    `headway: give the first line to ${made.entry.name} (it is shown only now); add the second to the array in HEADWAY_TOKENS_FILE`,
  );
  return 0;
}

/** `headway pipelines`: what `run` can start, from the API's own list. */
async function listPipelines(extra: string | undefined, values: { input?: string; name?: string; api?: string }): Promise<number> {
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, true);
  if (values.input !== undefined || values.name !== undefined) throw new UsageError('--input and --name are for headway run', true);
  const apiUrl = apiBase(values.api ?? env.apiUrl);
  const listed = await callApi<PipelineInfo[]>(apiUrl, '/api/pipelines', { token: env.token });
  if (!listed.ok) {
    for (const line of listed.problems) console.error(`headway: ${line}`);
    return listed.exitCode;
  }
  console.log(listed.body.map((pipeline) => pipelineLines(pipeline).join('\n')).join('\n\n'));
  return 0;
}

/** `headway artifacts`: the job's files, listed or saved. */
async function listArtifacts(
  jobId: string | undefined,
  names: string[],
  values: { input?: string; name?: string; api?: string; download?: string; attempt?: string },
): Promise<number> {
  if (!jobId) throw new UsageError('which job?', true);
  if (!isJobId(jobId)) throw new UsageError(`"${jobId}" is not a job id (letters, digits, _ . -, at most 64)`);
  if (values.input !== undefined || values.name !== undefined) throw new UsageError('--input and --name are for headway run', true);
  const attempt = values.attempt === undefined ? undefined : Number(values.attempt);
  if (attempt !== undefined && !(Number.isInteger(attempt) && attempt >= 1))
    throw new UsageError(`--attempt must be a whole number ≥ 1, got "${values.attempt}"`);
  if (values.download === '') throw new UsageError('--download needs a folder');
  return artifactsCommand(jobId, {
    apiUrl: apiBase(values.api ?? env.apiUrl),
    token: env.token,
    names,
    attempt,
    downloadDir: values.download === undefined ? undefined : resolve(env.cwd, values.download),
    out: (line) => console.log(line),
    complain: (line) => console.error(`headway: ${line}`),
  });
}

/** The API's URL without a trailing slash; only http and https. */
function apiBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${raw}" is not a URL (--api or HEADWAY_API_URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the API's URL must start with http:// or https://, got "${raw}"`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

async function readInput(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = path === '-' ? await Bun.stdin.text() : await readFile(resolve(env.cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new UsageError(`${path} must hold a JSON object (the pipeline's input)`);
  }
  return input as Record<string, unknown>;
}

/** parseArgs' own errors (an unknown option, a missing value) are usage errors too. */
const isParseArgsError = (error: unknown): boolean =>
  error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
  const showUsage = !(error instanceof UsageError) || error.showUsage;
  console.error(`headway: ${(error as Error).message}${showUsage ? `\n\n${USAGE}` : ''}`);
  code = EXIT_USAGE;
}
process.exit(code);
