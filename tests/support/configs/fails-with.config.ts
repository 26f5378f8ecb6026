// The shipped pipelines plus `fails-with`, which fails with the message its input names, echoed
// as a careless service would: the abuse tests send text meant for the operator's terminal.
// (Kept out of test-pipelines.config.ts, whose pipeline list other tests assert exactly.)
import { defineConfig, definePipeline } from '@headway/progress';
import { Type as t } from '@sinclair/typebox';
import shipped from '../../../headway.config.ts';

export default defineConfig({
  pipelines: [
    ...shipped.pipelines,
    definePipeline({
      name: 'fails-with',
      stages: [{ name: 'one', weight: 1 }],
      inputSchema: t.Object({ message: t.String({ maxLength: 1000 }) }),
      sampleInput: { message: 'failed as asked' },
      async run({ input }) {
        throw new Error(`upstream said: ${input.message}`);
      },
    }),
  ],
});
