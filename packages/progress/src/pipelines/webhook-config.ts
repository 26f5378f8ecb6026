// The webhooks a deployment calls when jobs end: declared in headway.config.ts (`webhooks`), or one
// from WEBHOOK_URL + WEBHOOK_SECRET. Checked at start, each mistake named by its field.
import { createHash } from 'node:crypto';
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENTS, type WebhookEventType } from '../model/webhook-messages.ts';

export type WebhookFormat = 'json' | 'slack';

/** One entry of `webhooks` in headway.config.ts. */
export interface WebhookConfig {
  /** Where to POST (http or https). */
  url: string;
  /** Signs each request (X-Headway-Signature); needed for `json`, optional for `slack`. */
  secret?: string;
  /** Default: job.completed, job.failed, job.cancelled. `job.stalled` is opt-in. */
  events?: readonly WebhookEventType[];
  /** Only jobs of these pipelines (default: every pipeline). */
  pipelines?: readonly string[];
  /** `json` (default): Headway's payload. `slack`: `{ text }`, what a Slack incoming webhook reads. */
  format?: WebhookFormat;
}

/** A checked webhook. Its id names it in deliveries (Redis keeps the id, never the secret). */
export interface Webhook {
  id: string;
  url: string;
  secret?: string;
  events: ReadonlySet<WebhookEventType>;
  /** Undefined: every pipeline. */
  pipelines?: ReadonlySet<string>;
  format: WebhookFormat;
}

/** A secret shorter than this is refused: it is all that stands between a receiver and a forgery. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * Checks one webhook; `field(name)` names a field in messages (`webhooks[0].url`, `WEBHOOK_URL`),
 * `pipelineNames` are the pipelines a filter may name.
 */
export function checkWebhook(raw: unknown, field: (name: keyof WebhookConfig) => string, pipelineNames: readonly string[]): Webhook {
  const fail = (name: keyof WebhookConfig, problem: string): never => {
    throw new Error(`${field(name)} ${problem}`);
  };
  const hook = (raw ?? {}) as Partial<WebhookConfig>;
  let url: URL | undefined;
  try {
    url = new URL(String(hook.url));
  } catch {}
  if (typeof hook.url !== 'string' || !url || !['http:', 'https:'].includes(url.protocol)) {
    return fail('url', `must be an http(s) URL, got ${JSON.stringify(hook.url)}`);
  }
  const format = hook.format ?? 'json';
  if (format !== 'json' && format !== 'slack') return fail('format', `must be "json" or "slack", got ${JSON.stringify(format)}`);
  if (hook.secret !== undefined || format === 'json') {
    if (typeof hook.secret !== 'string' || hook.secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      fail('secret', `must be a string of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (receivers check the signature with it)`);
    }
  }
  const events = hook.events ?? DEFAULT_WEBHOOK_EVENTS;
  if (!Array.isArray(events) || events.length === 0) fail('events', `must list some of ${WEBHOOK_EVENTS.join(', ')}`);
  for (const event of events) {
    if (!WEBHOOK_EVENTS.includes(event)) fail('events', `has ${JSON.stringify(event)}; known: ${WEBHOOK_EVENTS.join(', ')}`);
  }
  if (hook.pipelines !== undefined) {
    if (!Array.isArray(hook.pipelines) || hook.pipelines.length === 0) fail('pipelines', 'must list pipeline names (or be left out)');
    for (const name of hook.pipelines!) {
      if (!pipelineNames.includes(name)) fail('pipelines', `names "${name}", which is not a pipeline; known: ${pipelineNames.join(', ')}`);
    }
  }
  return {
    id: webhookId(hook.url, format),
    url: hook.url,
    ...(hook.secret !== undefined && { secret: hook.secret }),
    events: new Set(events),
    ...(hook.pipelines && { pipelines: new Set(hook.pipelines) }),
    format,
  };
}

/** Checks `webhooks` of the config file; `fail` adds the file's name. */
export function checkWebhooks(list: unknown, pipelineNames: readonly string[], fail: (problem: string) => never): Webhook[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return fail('webhooks must be a list of { url, secret, events?, pipelines?, format? }');
  const hooks: Webhook[] = [];
  list.forEach((raw, i) => {
    try {
      hooks.push(checkWebhook(raw, (name) => `webhooks[${i}].${name}`, pipelineNames));
    } catch (error) {
      fail((error as Error).message);
    }
  });
  return withUniqueIds(hooks, (i) => fail(`webhooks[${i}] repeats an earlier webhook's url and format`));
}

/** The webhook of WEBHOOK_URL, WEBHOOK_SECRET and WEBHOOK_FORMAT, if WEBHOOK_URL is set. */
export function webhookFromSettings(
  settings: { webhookUrl?: string; webhookSecret?: string; webhookFormat?: string },
  pipelineNames: readonly string[],
): Webhook | undefined {
  if (!settings.webhookUrl) return undefined;
  const names = { url: 'WEBHOOK_URL', secret: 'WEBHOOK_SECRET', format: 'WEBHOOK_FORMAT', events: 'events', pipelines: 'pipelines' };
  const raw = { url: settings.webhookUrl, secret: settings.webhookSecret, format: settings.webhookFormat };
  return checkWebhook(raw, (name) => names[name], pipelineNames);
}

/** The config file's webhooks and the environment's one, as one list with distinct ids. */
export function allWebhooks(fromConfig: readonly Webhook[], fromEnv: Webhook | undefined): Webhook[] {
  const hooks = fromEnv ? [...fromConfig, fromEnv] : [...fromConfig];
  return withUniqueIds(hooks, () => {
    throw new Error('WEBHOOK_URL repeats a webhook of the config file; declare it in one place');
  });
}

/** The webhooks a job's end is sent to. */
export function webhooksFor(hooks: readonly Webhook[], pipeline: string, type: WebhookEventType): Webhook[] {
  return hooks.filter((hook) => hook.events.has(type) && (!hook.pipelines || hook.pipelines.has(pipeline)));
}

function webhookId(url: string, format: WebhookFormat): string {
  return createHash('sha256').update(`${format}\n${url}`).digest('hex').slice(0, 16);
}

function withUniqueIds(hooks: Webhook[], repeated: (index: number) => never): Webhook[] {
  const seen = new Set<string>();
  hooks.forEach((hook, i) => {
    if (seen.has(hook.id)) repeated(i);
    seen.add(hook.id);
  });
  return hooks;
}
