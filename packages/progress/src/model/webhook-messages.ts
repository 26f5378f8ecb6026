// What Headway POSTs to a webhook when a job ends, and what the API tells of its deliveries.
import { type Static, Type as t } from '@sinclair/typebox';
import { formatDuration } from './format.ts';
import { JobSummary } from './job-summary.ts';

export const WebhookEventType = t.Union([
  t.Literal('job.completed'),
  t.Literal('job.failed'),
  t.Literal('job.cancelled'),
  t.Literal('job.stalled'),
]);
export type WebhookEventType = Static<typeof WebhookEventType>;
export const WEBHOOK_EVENTS: readonly WebhookEventType[] = WebhookEventType.anyOf.map((literal) => literal.const);
/** What a webhook gets when it names no events: every end of a job. A stall is opt-in. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = ['job.completed', 'job.failed', 'job.cancelled'];

/** `format: 'json'` (the default): this body, signed. `format: 'slack'`: `{ text }` (webhookText). */
export const WebhookPayload = t.Object({
  /** The delivery's id: the same on every attempt, so a receiver can drop a repeat. */
  id: t.String(),
  type: WebhookEventType,
  /** When the job ended (or stalled). */
  createdAt: t.String(),
  job: JobSummary,
  /** The job's page on the dashboard (PUBLIC_URL). */
  url: t.String(),
});
export type WebhookPayload = Static<typeof WebhookPayload>;

const VERB: Record<WebhookEventType, string> = {
  'job.completed': 'completed',
  'job.failed': 'failed',
  'job.cancelled': 'was cancelled',
  'job.stalled': 'stalled (its worker stopped)',
};
const MARK: Record<WebhookEventType, string> = {
  'job.completed': ':white_check_mark:',
  'job.failed': ':x:',
  'job.cancelled': ':no_entry_sign:',
  'job.stalled': ':warning:',
};

/** One line for chat (Slack's `text`, mrkdwn): what happened, how long it took, why it failed, a link. */
export function webhookText(type: WebhookEventType, job: JobSummary, url: string): string {
  const took =
    job.startedAt && job.finishedAt ? ` in ${formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)}` : '';
  const why = job.failedReason && type !== 'job.completed' ? `: ${slackEscape(job.failedReason.slice(0, 300))}` : '';
  return `${MARK[type]} ${slackEscape(job.name)} (${job.pipeline}) ${VERB[type]}${type === 'job.stalled' ? '' : took}${why} <${url}|Open>`;
}

/** Slack's mrkdwn reads `<…>` as a link or a mention: the job's own words are escaped. */
const slackEscape = (text: string) =>
  text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;')).replace(/[\u0000-\u001f\u007f]+/g, ' ');

export const WebhookDeliveryState = t.Union(
  [t.Literal('pending'), t.Literal('sending'), t.Literal('retrying'), t.Literal('delivered'), t.Literal('failed')],
  { description: 'pending: not tried yet; retrying: waiting for its next attempt; failed: gave up' },
);

/** One delivery, as admins see it in `GET /api/webhooks/deliveries`. */
export const WebhookDelivery = t.Object({
  id: t.String(),
  type: WebhookEventType,
  jobId: t.String(),
  /** The receiver's origin only: a Slack URL's path is its secret. */
  target: t.String(),
  state: WebhookDeliveryState,
  /** Attempts started so far. */
  attempts: t.Integer({ minimum: 0 }),
  maxAttempts: t.Integer({ minimum: 1 }),
  /** The HTTP status of the last answer, when one came. */
  lastStatus: t.Optional(t.Integer()),
  lastError: t.Optional(t.String()),
  lastAttemptAt: t.Optional(t.String()),
  createdAt: t.String(),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const MAX_WEBHOOK_DELIVERIES_PAGE = 200;
export const WebhookDeliveriesQuery = t.Object({
  limit: t.Optional(t.Number({ minimum: 1, maximum: MAX_WEBHOOK_DELIVERIES_PAGE, multipleOf: 1, description: 'Newest first; default 50' })),
});
export type WebhookDeliveriesQuery = Static<typeof WebhookDeliveriesQuery>;

export const WebhookDeliveryList = t.Object({ deliveries: t.Array(WebhookDelivery) });
export type WebhookDeliveryList = Static<typeof WebhookDeliveryList>;
