// Where code may run, checked on the source: the model's client entry (`@headway/progress/client`)
// reaches no Redis, BullMQ or Node module, the web app and the terminal client import the model
// only through it, and no module imports itself back at run time (type-only imports do not count).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const progress = join(root, 'packages/progress/src');
/** `@headway/progress` entries, as packages/progress/package.json exports them. */
const ENTRIES: Record<string, string> = {
  '@headway/progress': join(progress, 'index.ts'),
  '@headway/progress/client': join(progress, 'client/index.ts'),
  '@headway/progress/path-inside': join(progress, 'server/path-inside.ts'),
};

/** A file's run-time imports and re-exports (`import type` and `export type` left out). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (!m[2]) found.push(m[3]!);
  }
  return found;
}

/** Where a specifier leads: a file of this repository, or a package name / `node:` module. */
function resolveImport(from: string, specifier: string): { file: string } | { external: string } {
  if (specifier.startsWith('.')) return { file: resolve(dirname(from), specifier) };
  if (ENTRIES[specifier]) return { file: ENTRIES[specifier]! };
  return { external: specifier };
}

/** Every file reachable from `start` at run time, and every external module they import. */
function graph(start: string) {
  const files = new Set<string>();
  const externals = new Map<string, string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      const target = resolveImport(file, specifier);
      if ('file' in target) {
        if (target.file.endsWith('.ts')) walk(target.file);
      } else if (!externals.has(target.external)) externals.set(target.external, relative(root, file));
    }
  };
  walk(start);
  return { files, externals };
}

const SERVER_ONLY = (name: string) => name === 'ioredis' || name === 'bullmq' || name.startsWith('node:') || name === 'bun';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('import boundaries', () => {
  it('keeps the client entry free of Redis, BullMQ and Node modules', () => {
    const { files, externals } = graph(ENTRIES['@headway/progress/client']!);
    expect(files.size).toBeGreaterThan(10);
    const offending = [...externals].filter(([name]) => SERVER_ONLY(name)).map(([name, by]) => `${name} (imported by ${by})`);
    expect(offending).toEqual([]);
  });

  it('keeps model/ and client/ to themselves: no module there imports a server-only folder', () => {
    // The package's folders say who may import them: model/ and client/ anyone, a browser
    // included; eta/, pipelines/, redis/, tracker/, artifacts/ and server/ the API and the worker.
    const browserSafe = ['model', 'client'].map((d) => join(progress, d));
    const folders = readdirSync(progress).filter((name) => statSync(join(progress, name)).isDirectory());
    expect(folders.sort()).toEqual(['artifacts', 'client', 'eta', 'model', 'pipelines', 'redis', 'server', 'tracker']);
    const crossings: string[] = [];
    for (const file of browserSafe.flatMap((d) => sources(d))) {
      for (const specifier of importsOf(file)) {
        const target = resolveImport(file, specifier);
        if ('file' in target && !browserSafe.some((d) => target.file.startsWith(`${d}/`)))
          crossings.push(`${relative(root, file)} → ${specifier}`);
        if ('external' in target && SERVER_ONLY(target.external)) crossings.push(`${relative(root, file)} → ${target.external}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('lets the web app and the terminal client reach the model only through the client entry', () => {
    const allowed: Record<string, string[]> = {
      'apps/web/src': ['@headway/progress/client'],
      // The terminal writes downloaded files: it may also check paths, a Node-only helper.
      'apps/cli/src': ['@headway/progress/client', '@headway/progress/path-inside'],
    };
    for (const [dir, entries] of Object.entries(allowed)) {
      for (const file of sources(join(root, dir))) {
        for (const specifier of importsOf(file).filter((s) => s.startsWith('@headway/progress'))) {
          expect(entries, `${relative(root, file)} imports ${specifier}`).toContain(specifier);
        }
      }
    }
    // And so the terminal client starts without loading Redis or BullMQ.
    const cli = graph(join(root, 'apps/cli/src/main.ts'));
    expect([...cli.externals.keys()].filter((name) => name === 'ioredis' || name === 'bullmq')).toEqual([]);
  });

  it('has no import cycle at run time among the apps and the model', () => {
    const files = ['packages/progress/src', 'apps/api/src', 'apps/worker/src', 'apps/cli/src', 'apps/web/src'].flatMap((d) =>
      sources(join(root, d)),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const specifier of importsOf(file)) {
        const target = resolveImport(file, specifier);
        if ('file' in target && target.file.endsWith('.ts') && existsSync(target.file)) visit(target.file, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
