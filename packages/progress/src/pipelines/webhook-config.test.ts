import { describe, expect, it } from 'vitest';
import { checkConfig } from './headway-config.ts';
import { definePipeline } from './pipeline-definition.ts';
import { webhooksFor } from './webhook-config.ts';

const file = '/tmp/hw-webhooks/headway.config.ts';
const pipelines = [definePipeline({ name: 'a', stages: [{ name: 'work', weight: 1 }], run: async () => undefined })];
const secret = 'a-secret-of-16-chars';

function problem(webhooks: unknown, settings = {}): string {
  try {
    checkConfig({ pipelines, webhooks }, file, settings);
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('webhooks in the config', () => {
  it('names the file and the field of each mistake', () => {
    expect(problem({ url: 'x' })).toBe(`${file}: webhooks must be a list of { url, secret, events?, pipelines?, format? }`);
    expect(problem([{ url: 'ftp://x.example/', secret }])).toBe(`${file}: webhooks[0].url must be an http(s) URL, got "ftp://x.example/"`);
    expect(problem([{ url: 'https://x.example/' }])).toBe(
      `${file}: webhooks[0].secret must be a string of at least 16 characters (receivers check the signature with it)`,
    );
    expect(problem([{ url: 'https://x.example/', secret: 'short' }])).toMatch(/webhooks\[0\]\.secret must be a string of at least 16/);
    expect(problem([{ url: 'https://x.example/', secret, events: ['job.done'] }])).toBe(
      `${file}: webhooks[0].events has "job.done"; known: job.completed, job.failed, job.cancelled, job.stalled`,
    );
    expect(problem([{ url: 'https://x.example/', secret, events: [] }])).toMatch(/webhooks\[0\]\.events must list some of/);
    expect(problem([{ url: 'https://x.example/', secret, pipelines: ['b'] }])).toBe(
      `${file}: webhooks[0].pipelines names "b", which is not a pipeline; known: a`,
    );
    expect(problem([{ url: 'https://x.example/', format: 'xml' }])).toBe(
      `${file}: webhooks[0].format must be "json" or "slack", got "xml"`,
    );
    const twice = [
      { url: 'https://x.example/', secret },
      { url: 'https://x.example/', secret, events: ['job.stalled'] },
    ];
    expect(problem(twice)).toBe(`${file}: webhooks[1] repeats an earlier webhook's url and format`);
  });

  it('names the environment variable of a mistake in WEBHOOK_URL and friends', () => {
    expect(problem(undefined, { webhookUrl: 'not a url', webhookSecret: secret })).toBe(
      'WEBHOOK_URL must be an http(s) URL, got "not a url"',
    );
    expect(problem(undefined, { webhookUrl: 'https://x.example/' })).toMatch(/^WEBHOOK_SECRET must be a string of at least 16/);
    expect(problem(undefined, { webhookUrl: 'https://x.example/', webhookFormat: 'xml' })).toMatch(
      /^WEBHOOK_FORMAT must be "json" or "slack"/,
    );
    expect(problem([{ url: 'https://x.example/', secret }], { webhookUrl: 'https://x.example/', webhookSecret: secret })).toBe(
      'WEBHOOK_URL repeats a webhook of the config file; declare it in one place',
    );
  });

  it('sends every end to a webhook without filters, a stall only when asked, a Slack hook without a secret', () => {
    const catalog = checkConfig(
      {
        pipelines,
        webhooks: [
          { url: 'https://slack.example/T/B/x', format: 'slack', events: ['job.failed', 'job.stalled'] },
          { url: 'https://x.example/only-b', secret, pipelines: ['a'], events: ['job.completed'] },
        ],
      },
      file,
      { webhookUrl: 'https://env.example/hook', webhookSecret: secret },
    );
    const hooks = catalog.webhooks;
    expect(hooks.map((h) => [h.url, h.format, [...h.events]])).toEqual([
      ['https://slack.example/T/B/x', 'slack', ['job.failed', 'job.stalled']],
      ['https://x.example/only-b', 'json', ['job.completed']],
      ['https://env.example/hook', 'json', ['job.completed', 'job.failed', 'job.cancelled']],
    ]);
    expect(new Set(hooks.map((h) => h.id)).size).toBe(3);
    const urls = (pipeline: string, type: Parameters<typeof webhooksFor>[2]) => webhooksFor(hooks, pipeline, type).map((h) => h.url);
    expect(urls('a', 'job.stalled')).toEqual(['https://slack.example/T/B/x']);
    expect(urls('a', 'job.completed')).toEqual(['https://x.example/only-b', 'https://env.example/hook']);
    expect(urls('other', 'job.completed')).toEqual(['https://env.example/hook']);
    expect(urls('a', 'job.cancelled')).toEqual(['https://env.example/hook']);
  });
});
