import { HeadwayError, HISTORY_LENGTH, HistoryStore, type JobRecord, PipelineHistory, PipelineInfo, stageBands } from '@headway/progress';
import { Elysia, t } from 'elysia';
import { errorResponses } from '../error-handler.ts';
import type { Services } from '../services.ts';

export const pipelineRoutes = (services: Pick<Services, 'pipelines' | 'redis' | 'keys'>) => {
  const history = new HistoryStore(services.redis, services.keys);
  return new Elysia({ name: 'pipelines', prefix: '/api/pipelines' })
    .get('', () => services.pipelines.infos(), {
      response: { 200: t.Array(PipelineInfo), ...errorResponses(401) },
    })
    .get(
      '/:name/history',
      async ({ params }) => {
        const spec = services.pipelines.get(params.name)?.spec;
        if (!spec) {
          const known = services.pipelines.names.join(', ');
          throw new HeadwayError(404, 'UNKNOWN_PIPELINE', `Unknown pipeline "${params.name}"; known: ${known}`);
        }
        const records = await history.load(spec.name, HISTORY_LENGTH);
        const usual = [...stageBands(spec.stages, records)].map(([stage, band]) => ({ stage, ...band }));
        return { pipeline: spec.name, stages: spec.stages, usual, jobs: records.map(historyJob) };
      },
      {
        params: t.Object({ name: t.String({ minLength: 1, maxLength: 128 }) }),
        response: { 200: PipelineHistory, ...errorResponses(401, 404, 503) },
      },
    );
};

/** What the page needs of a record, and nothing the estimator keeps for itself. */
function historyJob(record: JobRecord): PipelineHistory['jobs'][number] {
  return {
    ...(record.jobId !== undefined && { jobId: record.jobId }),
    ...(record.finishedAt !== undefined && { finishedAt: record.finishedAt }),
    ...(record.size !== undefined && { size: record.size }),
    seconds: record.seconds,
    stages: record.stages.map(({ name, seconds, iterations }) => ({ name, seconds, ...(iterations !== undefined && { iterations }) })),
    ...(record.etaError && { etaError: record.etaError }),
  };
}
