// The Python side of the line protocol, with python3 from the machine: headway_progress.py's own
// tests, and every line the orchestrator demo prints under Headway read by the TypeScript parser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProtocolLine } from '@headway/progress';
import { describe, expect, it } from 'vitest';

const examples = join(import.meta.dirname, '../../examples/python');

async function run(cmd: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(cmd, {
    cwd: examples,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

describe('examples/python', () => {
  it('headway_progress.py passes its unittest suite', async () => {
    const { code, stderr } = await run(['python3', '-m', 'unittest', 'test_headway_progress']);
    expect(stderr).toMatch(/^Ran [1-9]\d* tests? in/m);
    expect(code, stderr).toBe(0);
  });

  it('orchestrator_demo.py under Headway prints only lines the protocol understands, six stages and iterations 1–3', async () => {
    const outputDir = mkdtempSync(join(tmpdir(), 'hw-demo-'));
    const { code, stdout } = await run(['python3', 'orchestrator_demo.py', '--run-mode', 'DEEP_LOOP', '--pace-ms', '1'], {
      HEADWAY_JOB_ID: 'demo',
      HEADWAY_OUTPUT_DIR: outputDir,
    }).finally(() => rmSync(outputDir, { recursive: true, force: true }));
    expect(code).toBe(0);
    const parsed = stdout.trimEnd().split('\n').map(parseProtocolLine);
    expect(parsed.filter((p) => p.kind === 'invalid')).toEqual([]);
    const updates = parsed.flatMap((p) => (p.kind === 'progress' ? [p.update] : []));
    const started = updates.filter((u) => u.phase === 'starting').map((u) => u.stage);
    expect(started).toEqual(['initialization', 'judge', 'deep_review', 'gap_analysis', 'visualization', 'finalization']);
    expect([...new Set(updates.flatMap((u) => (u.iteration ? [u.iteration] : [])))]).toEqual([1, 2, 3]);
  });
});
