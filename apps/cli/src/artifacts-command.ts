// `headway artifacts <job> [name…]` lists a job's artifacts; with `--download DIR` it saves them
// there, each streamed to a file whose name stays inside DIR and checked against the SHA-256 the
// list gives before it takes its name. Names come from a program: one that would leave DIR
// (or reach through a symbolic link) is refused, and what prints has no control characters.
import { createHash } from 'node:crypto';
import { mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { type ArtifactInfo, type ArtifactList, artifactNameProblem, formatBytes } from '@headway/progress/client';
// Node only: the terminal writes files; the browser never does.
import { pathInside } from '@headway/progress/path-inside';
import { callApi, problemsOf } from './api-call.ts';
import { EXIT_FAILED, EXIT_USAGE } from './follow-job.ts';
import { stripControls } from './strip-controls.ts';

export interface ArtifactsOptions {
  apiUrl: string;
  token?: string;
  /** Only these names (default: all). */
  names: string[];
  /** The attempt to download (default: the newest that has each name, or the newest attempt's for all). */
  attempt?: number;
  /** Save them here instead of listing them. */
  downloadDir?: string;
  out: (line: string) => void;
  complain: (line: string) => void;
}

export async function artifactsCommand(jobId: string, options: ArtifactsOptions): Promise<number> {
  const listed = await callApi<ArtifactList>(options.apiUrl, `/api/jobs/${encodeURIComponent(jobId)}/artifacts`, { token: options.token });
  if (!listed.ok) {
    for (const line of listed.problems) options.complain(line);
    return listed.exitCode;
  }
  const all = listed.body.artifacts;
  const chosen = choose(all, options);
  if ('missing' in chosen) {
    options.complain(`job ${jobId} has no artifact ${chosen.missing}${options.attempt ? ` in attempt ${options.attempt}` : ''}`);
    return EXIT_USAGE;
  }
  if (options.downloadDir === undefined) {
    const rows = options.names.length > 0 || options.attempt ? chosen.artifacts : all;
    if (rows.length === 0) options.out(`job ${jobId} has no artifacts`);
    else for (const line of artifactTable(rows)) options.out(line);
    return 0;
  }
  return download(jobId, chosen.artifacts, options);
}

/**
 * The artifacts named (each the newest attempt's that has it, or `attempt`'s), or all of the
 * newest attempt's (or `attempt`'s), a name published twice in one attempt taken once, its later file.
 */
function choose(all: ArtifactInfo[], { names, attempt }: ArtifactsOptions): { artifacts: ArtifactInfo[] } | { missing: string } {
  if (names.length > 0) {
    const artifacts: ArtifactInfo[] = [];
    for (const name of names) {
      const found = all.findLast((a) => a.name === name && (attempt === undefined || a.attempt === attempt));
      if (!found) return { missing: JSON.stringify(name) };
      artifacts.push(found);
    }
    return { artifacts };
  }
  const which = attempt ?? Math.max(0, ...all.map((a) => a.attempt));
  return { artifacts: [...new Map(all.filter((a) => a.attempt === which).map((a) => [a.name, a])).values()] };
}

/** The list as aligned columns: name, size, type, stage, attempt, title. */
export function artifactTable(artifacts: readonly ArtifactInfo[]): string[] {
  const rows = [
    ['NAME', 'SIZE', 'TYPE', 'STAGE', 'ATTEMPT', 'TITLE'],
    ...artifacts.map((a) =>
      [a.name, formatBytes(a.size), a.contentType.split(';')[0]!, a.stage ?? '-', String(a.attempt), a.title ?? ''].map((cell) =>
        stripControls(cell),
      ),
    ),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

async function download(jobId: string, artifacts: readonly ArtifactInfo[], options: ArtifactsOptions): Promise<number> {
  const dir = resolve(options.downloadDir!);
  await mkdir(dir, { recursive: true });
  const realDir = await realpath(dir);
  let failed = 0;
  for (const artifact of artifacts) {
    const shown = stripControls(artifact.name);
    try {
      const target = await targetOf(dir, realDir, artifact.name);
      await save(jobId, artifact, target, options);
      options.out(
        `saved ${relative(process.cwd(), target) || target} (${formatBytes(artifact.size)}, sha256 ${artifact.sha256.slice(0, 12)}…)`,
      );
    } catch (error) {
      failed++;
      options.complain(`${shown}: ${stripControls((error as Error).message)}`);
    }
  }
  if (artifacts.length === 0) options.out(`job ${jobId} has no artifacts`);
  return failed > 0 ? EXIT_FAILED : 0;
}

/** Where `name` is saved: inside `dir`, also once symbolic links are followed; otherwise it throws. */
async function targetOf(dir: string, realDir: string, name: string): Promise<string> {
  const problem = artifactNameProblem(name);
  if (problem) throw new Error(`refused: not a safe file name (${problem})`);
  let target: string;
  try {
    target = pathInside(dir, ...name.split('/'));
  } catch {
    throw new Error(`refused: it would be saved outside ${dir}`);
  }
  await mkdir(dirname(target), { recursive: true });
  const realParent = await realpath(dirname(target));
  if (realParent !== realDir && !realParent.startsWith(realDir + sep)) throw new Error(`refused: a link in ${dir} leads outside it`);
  return target;
}

/** Streams the artifact to a partial file beside `target`, then gives it its name if its SHA-256 and size match the list's. */
async function save(jobId: string, artifact: ArtifactInfo, target: string, options: ArtifactsOptions): Promise<void> {
  const path = artifact.name.split('/').map(encodeURIComponent).join('/');
  const res = await fetch(
    `${options.apiUrl}/api/jobs/${encodeURIComponent(jobId)}/artifacts/${path}?attempt=${artifact.attempt}&download=1`,
    {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    },
  );
  if (!res.ok || !res.body) throw new Error(problemsOf(res.status, await res.text()).join(' '));
  const partial = `${target}.headway-partial`;
  const file = await open(partial, 'w');
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
      await file.write(chunk);
    }
    await file.close();
    const sha256 = hash.digest('hex');
    if (sha256 !== artifact.sha256 || size !== artifact.size) {
      throw new Error(
        `the download does not match the list (${size} bytes, sha256 ${sha256}; expected ${artifact.size} bytes, ${artifact.sha256}); not saved`,
      );
    }
    await rename(partial, target);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
