import { pipelines } from '@headway/progress';
import { Elysia } from 'elysia';

export const pipelineRoutes = new Elysia({ name: 'pipelines', prefix: '/api/pipelines' }).get('/', () => pipelines);
