// A config whose `ghost` pipeline runs a program that is not installed: the worker says so at
// start, its other pipelines still run, and a `ghost` job fails naming the file and the pipeline.
import { commandPipeline, defineConfig } from '@headway/progress';
import shipped from '../../../headway.config.ts';

export default defineConfig({
  pipelines: [
    ...shipped.pipelines,
    commandPipeline({ name: 'ghost', command: ['headway-no-such-program', '--run'], stages: [{ name: 'work', weight: 1 }] }),
  ],
});
