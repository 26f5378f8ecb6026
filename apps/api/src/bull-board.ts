// Bull Board at /admin/queues, on the same queue the API and workers use.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ElysiaAdapter } from '@bull-board/elysia';
import type { Queue } from 'bullmq';

export const BULL_BOARD_PATH = '/admin/queues';

export async function bullBoard(queue: Queue) {
  const serverAdapter = new ElysiaAdapter(BULL_BOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(queue)],
    // The 6.x Elysia adapter's private fields differ from api 9's IServerAdapter type; it works at runtime.
    serverAdapter: serverAdapter as never,
    options: { uiConfig: { boardTitle: 'Headway' } },
  });
  return serverAdapter.registerPlugin();
}
