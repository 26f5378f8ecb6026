// The shipped pipelines, `fails-at-once`, and two webhooks with filters, whose receiver the test
// starts on loopback (WEBHOOK_TEST_BASE); WEBHOOK_URL adds the unfiltered one.
import { defineConfig, definePipeline } from '@headway/progress';
import shipped from '../../../headway.config.ts';

const base = process.env.WEBHOOK_TEST_BASE ?? 'http://127.0.0.1:9';

export default defineConfig({
  pipelines: [
    ...shipped.pipelines,
    definePipeline({
      name: 'fails-at-once',
      stages: [{ name: 'one', weight: 1 }],
      async run() {
        throw new Error('Fails at once');
      },
    }),
  ],
  webhooks: [
    // Failures of one pipeline only.
    { url: `${base}/failures`, secret: 'failures-secret-0123456789', events: ['job.failed'], pipelines: ['fails-at-once'] },
    // A chat channel: the reference pipeline's completions and cancels, as Slack reads them.
    { url: `${base}/slack`, format: 'slack', events: ['job.completed', 'job.cancelled'], pipelines: ['literature-review'] },
    // Stalls only, which no other webhook asks for.
    { url: `${base}/stalls`, secret: 'stalls-secret-0123456789', events: ['job.stalled'] },
  ],
});
