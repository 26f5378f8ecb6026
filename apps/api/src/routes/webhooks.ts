// The webhook delivery log: what was sent where, how often it was tried and what the receiver said.
import { WebhookDeliveriesQuery, WebhookDeliveryList } from '@headway/progress';
import { Elysia } from 'elysia';
import type { Services } from '../services.ts';

const DEFAULT_LIMIT = 50;

export const webhookRoutes = (services: Pick<Services, 'webhooks'>) =>
  new Elysia({ name: 'webhooks', prefix: '/api/webhooks' }).get(
    '/deliveries',
    async ({ query }) => ({ deliveries: await services.webhooks.list(query.limit ?? DEFAULT_LIMIT) }),
    {
      query: WebhookDeliveriesQuery,
      response: WebhookDeliveryList,
      detail: { summary: 'Webhook deliveries, newest first: state, attempts, last status and error' },
    },
  );
