import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type as t } from '@sinclair/typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig, loadConfig } from './headway-config.ts';
import { commandPipeline, definePipeline } from './pipeline-definition.ts';

const dir = mkdtempSync(join(tmpdir(), 'hw-config-'));
const file = join(dir, 'headway.config.ts');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const code = (name: string, extra: object = {}) =>
  definePipeline({ name, stages: [{ name: 'work', weight: 1 }], run: async () => undefined, ...extra });
const command = (name: string, extra: object = {}) =>
  commandPipeline({ name, command: ['python3', 'x.py'], stages: [{ name: 'work', weight: 1 }], ...extra });

describe('checkConfig', () => {
  it('lists every declared pipeline, labels stages and resolves a command’s cwd against the config’s folder', () => {
    const catalog = checkConfig({ pipelines: [code('a'), command('b', { cwd: '.' })] }, file);
    expect(catalog.names).toEqual(['a', 'b']);
    expect(catalog.infos().map((p) => p.stages[0]!.label)).toEqual(['Work', 'Work']);
    const b = catalog.get('b');
    expect(b?.kind === 'command' && b.command.cwd).toBe(dir);
    expect(catalog.where('b')).toBe(`pipeline "b" in ${file}`);
  });

  it('names the file and the pipeline for each mistake', () => {
    const problem = (config: unknown) => {
      try {
        checkConfig(config, file);
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem({})).toBe(`${file}: the default export must be defineConfig({ pipelines: [...] })`);
    expect(problem({ pipelines: [code('a'), command('a')] })).toBe(`${file}: pipeline "a": two pipelines have this name`);
    expect(problem({ pipelines: [{ name: 'x' }] })).toMatch(/pipelines\[0\] is not a pipeline/);
    expect(problem({ pipelines: [code('has space')] })).toMatch(/"has space" must be 1–64 letters/);
    expect(problem({ pipelines: [code('a', { stages: [] })] })).toMatch(/pipeline "a": declares no stages/);
    const twice = [
      { name: 'w', weight: 1 },
      { name: 'w', weight: 2 },
    ];
    expect(problem({ pipelines: [code('a', { stages: twice })] })).toMatch(/pipeline "a": two stages are named "w"/);
    expect(problem({ pipelines: [code('a', { stages: [{ name: 'w', weight: 0 }] })] })).toMatch(/stage "w": weight must be a number > 0/);
    const schema = t.Object({ n: t.Integer() });
    expect(problem({ pipelines: [code('a', { inputSchema: schema, sampleInput: { n: 'x' } })] })).toMatch(
      /pipeline "a": sampleInput does not match inputSchema: \/n/,
    );
    expect(problem({ pipelines: [command('c', { command: [] })] })).toMatch(/pipeline "c": command must be a non-empty list/);
    expect(problem({ pipelines: [command('c', { cwd: 'missing-dir' })] })).toMatch(/pipeline "c": cwd "missing-dir" is not a folder/);
  });
});

describe('loadConfig', () => {
  it('says which file is missing or does not load', async () => {
    await expect(loadConfig(join(dir, 'nope.config.ts'))).rejects.toThrow(/nope\.config\.ts: no such file/);
    writeFileSync(file, 'export default {\n');
    await expect(loadConfig(file)).rejects.toThrow(/headway\.config\.ts: could not be loaded/);
  });

  it('loads the shipped config with the reference pipeline and the Python orchestrator', async () => {
    const catalog = await loadConfig(join(import.meta.dirname, '../../../../headway.config.ts'));
    expect(catalog.names).toEqual(['literature-review', 'python-orchestrator']);
    expect(catalog.get('python-orchestrator')?.spec.stages.map((s) => s.name)).toEqual(
      catalog.get('literature-review')?.spec.stages.map((s) => s.name),
    );
  });
});
