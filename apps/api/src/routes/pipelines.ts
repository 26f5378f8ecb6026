import { Elysia } from 'elysia';
import type { Services } from '../services.ts';

export const pipelineRoutes = (services: Pick<Services, 'pipelines'>) =>
  new Elysia({ name: 'pipelines', prefix: '/api/pipelines' }).get('', () => services.pipelines.infos());
