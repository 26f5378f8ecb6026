import { PipelineInfo } from '@headway/progress';
import { Elysia, t } from 'elysia';
import { errorResponses } from '../error-handler.ts';
import type { Services } from '../services.ts';

export const pipelineRoutes = (services: Pick<Services, 'pipelines'>) =>
  new Elysia({ name: 'pipelines', prefix: '/api/pipelines' }).get('', () => services.pipelines.infos(), {
    response: { 200: t.Array(PipelineInfo), ...errorResponses(401) },
  });
