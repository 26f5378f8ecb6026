// The pipelines the command benchmark runs: flood.py through the line protocol (with no cap to
// speak of, and with the default cap), and a code pipeline emitting the same events in-process.
// Input `{ lines }` floods; `{ lines, rate }` paces the lines, each with its emit time in metadata.t.
import { fileURLToPath } from 'node:url';
import { checkConfig, commandPipeline, definePipeline, type PipelineCatalog } from '@headway/progress';
import { Type as t } from '@sinclair/typebox';
import { wallNow } from '../relay/shared.ts';

export const FLOOD = fileURLToPath(new URL('./flood.py', import.meta.url));
/** Far above anything a pipe delivers: the protocol path's own capacity. */
export const UNCAPPED_LINES_PER_SECOND = 1e9;
/** The code pipeline yields to the event loop this often, as a real producer between steps would. */
export const YIELD_EVERY = 1000;

const Input = t.Object({ lines: t.Integer({ minimum: 1 }), rate: t.Optional(t.Number({ exclusiveMinimum: 0 })) });
const stages = [{ name: 'work', weight: 1 }];
const common = { stages, inputSchema: Input, sampleInput: { lines: 1 } };

const command = (name: string, maxLinesPerSecond?: number, env?: Record<string, string>) =>
  commandPipeline({
    ...common,
    name,
    command: ['python3', FLOOD],
    args: ({ lines, rate }) => [String(lines), ...(rate === undefined ? [] : [String(rate)])],
    ...(maxLinesPerSecond !== undefined && { maxLinesPerSecond }),
    ...(env && { env }),
  });

/** What flood.py prints, as tracker calls: the same stage, phases, stageProgress and metadata. */
const code = definePipeline({
  ...common,
  name: 'code',
  async run({ input: { lines, rate }, progress, sleep }) {
    progress.emit('work', 'starting', 'Work');
    if (rate === undefined) {
      for (let i = 1; i <= lines; i++) {
        progress.emit('work', 'running', '', { stageProgress: i / lines });
        if (i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } else {
      const start = wallNow();
      for (let i = 1; i <= lines; i++) {
        await sleep(start + ((i - 1) * 1000) / rate - wallNow());
        progress.emit('work', 'running', '', { stageProgress: i / lines, metadata: { t: wallNow() } });
      }
    }
    progress.emit('work', 'complete', 'Work: done');
  },
});

export function benchCatalog(): PipelineCatalog {
  const pipelines = [
    command('command', UNCAPPED_LINES_PER_SECOND),
    command('command-capped'),
    // The runner sets PYTHONUNBUFFERED=1 (a line leaves when printed); empty, Python writes 8 KB blocks.
    command('command-buffered', UNCAPPED_LINES_PER_SECOND, { PYTHONUNBUFFERED: '' }),
    code,
  ];
  return checkConfig({ pipelines }, fileURLToPath(import.meta.url));
}
