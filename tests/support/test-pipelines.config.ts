// The shipped pipelines plus `misbehave`, a program that fails in the way its input names; the
// integration tests start workers with HEADWAY_CONFIG pointing here.
import { commandPipeline, defineConfig, definePipeline } from '@headway/progress';
import { Type as t } from '@sinclair/typebox';
import shipped from '../../headway.config.ts';

export default defineConfig({
  pipelines: [
    ...shipped.pipelines,
    commandPipeline({
      name: 'misbehave',
      command: ['python3', 'programs/misbehave.py'],
      args: (input) => [input.mode, ...(input.count ? [String(input.count)] : [])],
      stages: [
        { name: 'one', weight: 1 },
        { name: 'two', weight: 1 },
      ],
      inputSchema: t.Object({
        mode: t.Union(['steady', 'exit3', 'signal', 'hugeline', 'garbage', 'ignore-term', 'flood'].map((m) => t.Literal(m))),
        count: t.Optional(t.Integer({ minimum: 1 })),
      }),
      sampleInput: { mode: 'steady' },
      killGraceSeconds: 1,
      maxLinesPerSecond: 1_000_000,
    }),
    // Its error reads like a cancel's reason; the job must still show as failed.
    definePipeline({
      name: 'fails-like-a-cancel',
      stages: [{ name: 'one', weight: 1 }],
      async run() {
        throw new Error('Cancelled: by the upstream service');
      },
    }),
    // Fails as soon as it starts, every attempt: retries of it race its next failure.
    definePipeline({
      name: 'fails-at-once',
      stages: [{ name: 'one', weight: 1 }],
      async run() {
        throw new Error('Fails at once');
      },
    }),
    commandPipeline({
      name: 'seed-prints',
      command: ['python3', 'programs/misbehave.py', 'seed-prints'],
      stages: [
        { name: 'one', weight: 1 },
        { name: 'two', weight: 1 },
      ],
      bracketStages: true,
    }),
    commandPipeline({
      name: 'capped',
      command: ['python3', 'programs/misbehave.py', 'flood', '2500'],
      stages: [{ name: 'one', weight: 1 }],
      maxLinesPerSecond: 1000,
    }),
    // Its `wait` stage sleeps `seconds` and says nothing meanwhile: held past the band its seeded
    // history gives it, the job page must still turn it "slower than usual".
    definePipeline({
      name: 'sleeps-long',
      title: 'Sleeps long',
      stages: [{ name: 'wait', weight: 1 }],
      inputSchema: t.Object({ seconds: t.Number({ minimum: 0, maximum: 60, default: 6 }) }),
      sampleInput: { seconds: 6 },
      async run(ctx) {
        ctx.progress.emit('wait', 'starting', 'Waiting');
        await ctx.sleep(ctx.input.seconds * 1000);
        ctx.progress.emit('wait', 'running', 'Nearly done', { stageProgress: 0.9 });
        ctx.progress.emit('wait', 'complete', 'Waited');
      },
    }),
    commandPipeline({
      name: 'slowpoke',
      command: ['python3', 'programs/misbehave.py', 'ignore-term'],
      stages: [{ name: 'one', weight: 1 }],
      timeoutSeconds: 1,
      killGraceSeconds: 1,
    }),
  ],
});
