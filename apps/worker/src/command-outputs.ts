// The files a command pipeline's program publishes: those its `::artifact <path>` lines name
// (checked to lie inside HEADWAY_OUTPUT_DIR or its working directory), and, once it has exited,
// whatever it wrote or changed in HEADWAY_OUTPUT_DIR without publishing (command-protocol.ts
// describes the rules to program authors).
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type JobArtifacts, type ProgressTracker, quotedName } from '@headway/progress';

/** Entries a walk of the output folder looks at, at most: a program may leave millions. */
const MAX_WALK_ENTRIES = 10_000;
/** Files named in the warning about those left out past the cap. */
const NAMED_LEFT_OUT = 10;

export class CommandOutputs {
  /** Real paths already published or refused, so the collection at exit skips them. */
  readonly #handled = new Set<string>();
  /** Each file in the output folder before the program started, as `mtime:size`. */
  #before = new Map<string, string>();
  /** The `::artifact` lines run one at a time, in order; reading waits on them (`pending`). */
  #chain: Promise<void> | undefined;

  constructor(
    private readonly artifacts: JobArtifacts,
    private readonly tracker: ProgressTracker,
    private readonly outputDir: string,
    private readonly cwd: string,
  ) {}

  /** Notes what the output folder holds before the program runs (a retry finds the first attempt's files). */
  async start(): Promise<void> {
    this.#before = new Map((await this.#walk()).files.map((f) => [f.path, f.version]));
  }

  /** Publishes the file an `::artifact` line names, after the lines before it. */
  publish(path: string, title?: string): void {
    const previous = this.#chain ?? Promise.resolve();
    const next = previous.then(() => this.#publish(path, title)).catch(() => undefined);
    this.#chain = next;
    void next.finally(() => {
      if (this.#chain === next) this.#chain = undefined;
    });
  }

  /** Resolves when the `::artifact` lines read so far are published; undefined when none is pending. */
  pending(): Promise<void> | undefined {
    return this.#chain;
  }

  /** After the program exited: publishes what it left in the output folder and did not publish. */
  async collect(): Promise<void> {
    await this.#chain;
    const { files, truncated } = await this.#walk();
    const left = files.filter((f) => !this.#handled.has(f.path) && this.#before.get(f.path) !== f.version);
    let i = 0;
    for (; i < left.length && this.artifacts.room > 0; i++) {
      const { path, name } = left[i]!;
      this.#handled.add(path);
      await this.artifacts.put(name, { path });
    }
    const skipped = left.slice(i).map((f) => f.name);
    if (skipped.length > 0 || truncated) {
      const named = skipped.slice(0, NAMED_LEFT_OUT).map(quotedName).join(', ');
      const more = skipped.length > NAMED_LEFT_OUT ? ` and ${skipped.length - NAMED_LEFT_OUT} more` : '';
      const walked = truncated ? ` (only the first ${MAX_WALK_ENTRIES} entries of HEADWAY_OUTPUT_DIR were looked at)` : '';
      const n = skipped.length;
      const what =
        n > 0
          ? `${n} file${n === 1 ? '' : 's'} left in HEADWAY_OUTPUT_DIR ${n === 1 ? 'was' : 'were'} not stored: ${named}${more}`
          : 'Some files left in HEADWAY_OUTPUT_DIR were not looked at';
      const why = n > 0 ? ': this attempt reached MAX_ARTIFACTS_PER_JOB' : '';
      this.tracker.log('warn', `${what}${why}${walked}`, this.tracker.openStage);
    }
  }

  async #publish(path: string, title?: string): Promise<void> {
    const refuse = (why: string) => this.tracker.log('warn', `Artifact ${quotedName(path)} was not stored: ${why}`, this.tracker.openStage);
    const lexical = resolve(this.cwd, path);
    const outside = "it is outside HEADWAY_OUTPUT_DIR and the program's working directory";
    // Checked as written first, so a path outside says nothing of what exists there.
    if (!isInside(this.outputDir, lexical) && !isInside(this.cwd, lexical)) return refuse(outside);
    const real = await realpath(lexical).catch(() => undefined);
    if (!real) return refuse('there is no such file');
    const [outputRoot, cwdRoot] = (await Promise.all([this.outputDir, this.cwd].map((p) => realpath(p).catch(() => p)))) as [
      string,
      string,
    ];
    if (!isInside(outputRoot, real) && !isInside(cwdRoot, real)) return refuse(outside);
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) return refuse('it is not a regular file');
    if (this.#handled.has(real)) return refuse('it was already published');
    this.#handled.add(real);
    const name = isInside(this.outputDir, lexical)
      ? toName(relative(this.outputDir, lexical))
      : isInside(outputRoot, real)
        ? toName(relative(outputRoot, real))
        : basename(lexical);
    await this.artifacts.put(name, { path: real }, { ...(title && { title }) });
  }

  /** The regular files under the output folder (no links followed), sorted by name. */
  async #walk(): Promise<{ files: { path: string; name: string; version: string }[]; truncated: boolean }> {
    const files: { path: string; name: string; version: string }[] = [];
    const root = await realpath(this.outputDir).catch(() => undefined);
    if (!root) return { files, truncated: false };
    const folders = [root];
    let seen = 0;
    let truncated = false;
    while (folders.length > 0) {
      const folder = folders.shift()!;
      const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++seen > MAX_WALK_ENTRIES) {
          truncated = true;
          break;
        }
        const path = join(folder, entry.name);
        if (entry.isDirectory()) folders.push(path);
        else if (entry.isFile()) {
          const info = await stat(path).catch(() => undefined);
          if (info) files.push({ path, name: toName(relative(root, path)), version: `${info.mtimeMs}:${info.size}` });
        }
      }
      if (truncated) break;
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { files, truncated };
  }
}

/** Whether `path` lies strictly inside `root` (both resolved). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

const toName = (relativePath: string) => relativePath.split(sep).join('/');
