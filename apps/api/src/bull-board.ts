// Bull Board at /admin/queues, on the same queue the API and workers use. Its Logs tab reads the
// job's event stream, so workers write each event once instead of also to BullMQ's job log. Its
// add-job route takes any `options.jobId`: only valid job ids get through (redis-keys.ts).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ElysiaAdapter } from '@bull-board/elysia';
import { type EventStream, HeadwayError, isJobId, JOB_ID_RULE, logLineOf } from '@headway/progress';
import type { JobsOptions, Queue } from 'bullmq';
import { Elysia } from 'elysia';

export const BULL_BOARD_PATH = '/admin/queues';
const FRAME_HEADERS = { 'content-security-policy': "frame-ancestors 'none'", 'x-frame-options': 'DENY' };
/** Lines the Logs tab shows: the newest ones. */
const LOG_LINES = 1000;

class StreamLogsAdapter extends BullMQAdapter {
  constructor(
    queue: Queue,
    private readonly stream: EventStream,
  ) {
    super(queue);
  }

  /** Refuses (400, nothing queued) an id that could name another folder or break a hash tag. */
  override addJob(name: string, data: unknown, options: JobsOptions) {
    const jobId: unknown = options?.jobId;
    if (jobId != null && !isJobId(jobId)) {
      throw new HeadwayError(400, 'BAD_REQUEST', `options.jobId ${JSON.stringify(jobId)} is refused: ${JOB_ID_RULE}`);
    }
    return super.addJob(name, data, options);
  }

  override async getJobLogs(id: string): Promise<string[]> {
    const entries = await this.stream.latest(id, LOG_LINES);
    return entries.map(({ event }) => logLineOf(event));
  }
}

export async function bullBoard(queue: Queue, stream: EventStream) {
  const serverAdapter = new ElysiaAdapter(BULL_BOARD_PATH);
  createBullBoard({
    queues: [new StreamLogsAdapter(queue, stream)],
    // The 6.x Elysia adapter's private fields differ from api 9's IServerAdapter type; it works at runtime.
    serverAdapter: serverAdapter as never,
    options: { uiConfig: { boardTitle: 'Headway' } },
  });
  // Its buttons act on the queue: no page of another site may frame it (clickjacking).
  return new Elysia({ name: 'bull-board' })
    .onAfterHandle(({ response, set }) => {
      Object.assign(set.headers, FRAME_HEADERS);
      if (response instanceof Response) for (const [name, value] of Object.entries(FRAME_HEADERS)) response.headers.set(name, value);
    })
    .use(await serverAdapter.registerPlugin());
}
