// The pipelines this deployment runs. The API and every worker load this file (or the one
// HEADWAY_CONFIG names); add a pipeline here, never in apps/.
import { literatureReviewPipeline } from '@headway/literature-review';
import { commandPipeline, defineConfig } from '@headway/progress';
import { Type as t } from '@sinclair/typebox';

export default defineConfig({
  pipelines: [
    literatureReviewPipeline,
    // An existing program as a pipeline: its `::stage` / `::progress` lines drive the bar
    // (examples/python/headway_progress.py prints them), every other line is its log.
    commandPipeline({
      name: 'python-orchestrator',
      title: 'Python orchestrator',
      description:
        'examples/python/orchestrator_demo.py, a stand-in for a literature-review orchestrator written in Python, run as a program.',
      command: ['python3', 'examples/python/orchestrator_demo.py'],
      // Absolute, so configs that import this one (tests/support) run it from here too.
      cwd: import.meta.dirname,
      args: (input) => [
        ...['--run-mode', input.runMode, '--max-iterations', String(input.maxIterations)],
        ...['--papers', String(input.papers), '--pace-ms', String(input.paceMs), '--workers', String(input.workers)],
      ],
      stages: [
        { name: 'initialization', weight: 5 },
        { name: 'judge', label: 'Judge validation', weight: 15 },
        { name: 'deep_review', weight: 30 },
        { name: 'gap_analysis', weight: 35, loops: true, expectedIterations: 3 },
        { name: 'visualization', weight: 10 },
        { name: 'finalization', weight: 5 },
      ],
      inputSchema: t.Object({
        runMode: t.Union([t.Literal('ONCE'), t.Literal('DEEP_LOOP')], {
          default: 'DEEP_LOOP',
          description: 'ONCE runs gap analysis once; DEEP_LOOP iterates until completeness stops improving.',
        }),
        maxIterations: t.Integer({ minimum: 1, maximum: 20, default: 5, description: 'DEEP_LOOP cap.' }),
        papers: t.Integer({ minimum: 1, maximum: 500, default: 12, description: 'Papers in the simulated corpus.' }),
        paceMs: t.Integer({ minimum: 0, maximum: 5_000, default: 60, description: 'Time per unit of work.' }),
        workers: t.Integer({ minimum: 1, maximum: 8, default: 2, description: 'Child processes judging papers.' }),
      }),
      sampleInput: { runMode: 'DEEP_LOOP' },
      sizeOf: (input) => input.papers,
      timeoutSeconds: 3600,
    }),
  ],
});
