// The shipped pipelines plus two that publish artifacts: `publish`, a program that publishes, leaves
// and misbehaves by mode (tests/support/programs/publish.py), and `slow-artifact`, code that streams
// one large artifact slowly so a worker can be killed mid-upload. (Kept out of
// test-pipelines.config.ts, whose pipeline list other tests assert exactly.)
import { commandPipeline, defineConfig, definePipeline } from '@headway/progress';
import { Type as t } from '@sinclair/typebox';
import shipped from '../../../headway.config.ts';

const CHUNK_BYTES = 64 * 1024;

export default defineConfig({
  pipelines: [
    ...shipped.pipelines,
    commandPipeline({
      name: 'publish',
      command: ['python3', 'publish.py'],
      cwd: '../programs',
      args: (input) => [input.mode],
      stages: [
        { name: 'make', weight: 1 },
        { name: 'done', weight: 1 },
      ],
      inputSchema: t.Object({ mode: t.Union([t.Literal('good'), t.Literal('bad'), t.Literal('retry')]) }),
      sampleInput: { mode: 'good' },
    }),
    definePipeline({
      name: 'slow-artifact',
      stages: [{ name: 'write', weight: 1 }],
      async run(ctx) {
        ctx.progress.emit('write', 'starting', 'Streaming a large artifact');
        let chunks = 0;
        // About 6 MB a second, for far longer than the test waits.
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await Bun.sleep(10);
            controller.enqueue(new Uint8Array(CHUNK_BYTES).fill(chunks % 251));
            if (++chunks >= 10_000) controller.close();
          },
        });
        await ctx.artifacts.put('large.bin', body);
      },
    }),
  ],
});
