import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobArtifacts, LocalArtifactStore, type NewJobEvent, ProgressTracker } from '@headway/progress';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandOutputs } from './command-outputs.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(maxCount = 10) {
  const top = mkdtempSync(join(tmpdir(), 'hw-outputs-'));
  dirs.push(top);
  const out = join(top, 'out');
  const cwd = join(top, 'cwd');
  mkdirSync(out);
  mkdirSync(cwd);
  const events: NewJobEvent[] = [];
  const tracker = new ProgressTracker({
    jobId: 'j',
    attempt: 1,
    stages: [{ name: 's', label: 'S', weight: 1 }],
    emit: (e) => events.push(e),
  });
  const artifacts = new JobArtifacts({
    jobId: 'j',
    attempt: 1,
    tracker,
    store: new LocalArtifactStore(join(top, 'store')),
    maxBytes: 1000,
    maxCount,
  });
  const outputs = new CommandOutputs(artifacts, tracker, out, cwd);
  const names = () => events.flatMap((e) => (e.kind === 'artifact' ? [e.name] : []));
  const warnings = () => events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
  return { top, out, cwd, outputs, names, warnings };
}

describe('CommandOutputs', () => {
  it('names a file by its path in the output folder, else by its base name, relative paths from the working directory', async () => {
    const { out, cwd, outputs, names, warnings } = setup();
    mkdirSync(join(out, 'charts'));
    writeFileSync(join(out, 'charts', 'a.svg'), '<svg/>');
    writeFileSync(join(cwd, 'local.txt'), 'here');
    mkdirSync(join(cwd, 'deep'));
    writeFileSync(join(cwd, 'deep', 'b.txt'), 'b');
    outputs.publish(join(out, 'charts', 'a.svg'));
    outputs.publish('local.txt');
    outputs.publish('deep/b.txt', 'Bee');
    outputs.publish('charts/a.svg');
    await outputs.pending();
    expect(names()).toEqual(['charts/a.svg', 'local.txt', 'b.txt']);
    expect(warnings()).toEqual(['Artifact "charts/a.svg" was not stored: there is no such file']);
  });

  it('refuses a path or a link that leads outside both folders, and a folder', async () => {
    const { top, out, outputs, names, warnings } = setup();
    writeFileSync(join(top, 'secret.txt'), 'secret');
    symlinkSync(join(top, 'secret.txt'), join(out, 'link.txt'));
    mkdirSync(join(out, 'folder'));
    for (const path of ['../secret.txt', join(top, 'secret.txt'), join(out, 'link.txt'), join(out, 'folder'), '/etc/passwd']) {
      outputs.publish(path);
    }
    await outputs.pending();
    const outside = "it is outside HEADWAY_OUTPUT_DIR and the program's working directory";
    expect(warnings()).toEqual([
      `Artifact "../secret.txt" was not stored: ${outside}`,
      `Artifact ${JSON.stringify(join(top, 'secret.txt'))} was not stored: ${outside}`,
      `Artifact ${JSON.stringify(join(out, 'link.txt'))} was not stored: ${outside}`,
      `Artifact ${JSON.stringify(join(out, 'folder'))} was not stored: it is not a regular file`,
      `Artifact "/etc/passwd" was not stored: ${outside}`,
    ]);
    // Collected at exit: links are skipped, not followed.
    await outputs.collect();
    expect(names()).toEqual([]);
  });

  it('collects at exit only what the program wrote or changed and did not publish, up to the cap', async () => {
    const { out, outputs, names, warnings } = setup(3);
    writeFileSync(join(out, 'old.txt'), 'from the first attempt');
    writeFileSync(join(out, 'rewritten.txt'), 'v1');
    utimesSync(join(out, 'rewritten.txt'), new Date(1_000_000), new Date(1_000_000));
    await outputs.start();
    writeFileSync(join(out, 'rewritten.txt'), 'v2');
    writeFileSync(join(out, 'published.txt'), 'p');
    outputs.publish(join(out, 'published.txt'));
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(out, name), name);
    await outputs.collect();
    expect(names()).toEqual(['published.txt', 'a.txt', 'b.txt']);
    expect(warnings()).toEqual([
      '2 files left in HEADWAY_OUTPUT_DIR were not stored: "c.txt", "rewritten.txt": this attempt reached MAX_ARTIFACTS_PER_JOB',
    ]);
  });
});
