// WebSocket `/ws/jobs/:id/progress?after=<cursor>`: `initial_status`, then the job's history after
// the cursor (all of it without one), then the live tail through the relay's pub/sub topic.
import {
  CLOSE_BAD_REQUEST,
  CLOSE_UNKNOWN_JOB,
  compareIds,
  HeadwayError,
  isCursor,
  isJobId,
  isTerminal,
  type JobStatus,
  messagesFor,
  type ServerMessage,
} from '@headway/progress';
import { Elysia } from 'elysia';
import { toJobSummary } from '../job-summary.ts';
import { jobTopic } from '../relay.ts';
import type { Services } from '../services.ts';
import { CLOSE_TRY_AGAIN_LATER } from '../socket-gate.ts';
import { loadJob } from './jobs.ts';

const REPLAY_PAGE = 1000;
/**
 * A viewer with more than this waiting to be sent is not keeping up: it is closed with a reason
 * and resumes from its cursor when it reconnects. Bun's own backpressure limit (app.ts) is the
 * backstop; this check comes first so the viewer learns why.
 */
const SLOW_VIEWER_BYTES = 1024 * 1024;
/** A closed viewer that still does not read its close frame is cut off after this. */
const CLOSE_GRACE_MS = 5000;

interface SocketLike {
  id: string;
  /** Bun's status: bytes sent, -1 queued under backpressure, 0 dropped. */
  send(data: string): number;
  subscribe(topic: string): unknown;
  close(code?: number, reason?: string): unknown;
  terminate(): void;
  raw: object;
}

/** Bytes queued for the viewer; Elysia's copy of Bun's types predates `getBufferedAmount`. */
const unsentBytes = (ws: SocketLike) => (ws.raw as { getBufferedAmount?(): number }).getBufferedAmount?.() ?? 0;

interface SocketState {
  ws: SocketLike;
  jobId: string;
  closed: boolean;
  watching: boolean;
  /** Resolves the replay's wait for Bun's `drain`. */
  drained?: () => void;
}

export const progressSocket = (services: Services) => {
  /** Every open socket by id, so a close mid-replay releases the watch and slow ones are found. */
  const open = new Map<string, SocketState>();

  const send = (ws: SocketLike, message: ServerMessage) => ws.send(JSON.stringify(message));

  function closeSlow(state: SocketState, unsent: number) {
    if (state.closed) return;
    const mb = (unsent / 1024 / 1024).toFixed(1);
    state.ws.close(CLOSE_TRY_AGAIN_LATER, `too slow: ${mb} MB unsent; reconnect to resume`);
    setTimeout(() => {
      if (!state.closed) state.ws.terminate();
    }, CLOSE_GRACE_MS).unref();
  }

  /** Sends, waiting for `drain` under backpressure; false once the viewer is gone or too slow. */
  async function sendPaced(state: SocketState, message: ServerMessage): Promise<boolean> {
    const status = send(state.ws, message);
    if (status === -1 && unsentBytes(state.ws) <= SLOW_VIEWER_BYTES) {
      await new Promise<void>((resolve) => (state.drained = resolve));
    } else if (status <= 0) {
      closeSlow(state, unsentBytes(state.ws));
      return false;
    }
    return !state.closed;
  }

  // Live messages go out through Bun's pub/sub, which cannot be paced per viewer: check the queues.
  setInterval(() => {
    for (const state of open.values()) {
      const unsent = unsentBytes(state.ws);
      if (unsent > SLOW_VIEWER_BYTES) closeSlow(state, unsent);
    }
  }, 1000).unref();

  async function start(ws: SocketLike, jobId: string, after: string) {
    const state: SocketState = { ws, jobId, closed: false, watching: false };
    open.set(ws.id, state);
    // Only a job that is not there is final; Redis being down closes as the gate says (retry).
    const job = await loadJob(services, jobId).catch((error) => {
      if (error instanceof HeadwayError && error.status === 404) return undefined;
      throw error;
    });
    if (state.closed) return;
    if (!job) return unknownJob(ws, jobId);
    const summary = await toJobSummary(services.queue, job);
    await services.relay.acquire(jobId);
    state.watching = true;
    if (state.closed) return void services.relay.release(jobId);
    const spec = services.pipelines.get(job.name)?.spec;
    send(ws, {
      type: 'initial_status',
      job: summary,
      pipeline: spec ?? { name: job.name, title: job.name, description: '', stages: [], inputSchema: {}, sampleInput: {} },
      cursor: services.relay.cursorOf(jobId) ?? '0-0',
    });
    let cursor = after;
    let completed = false;
    let emptyReads = 0;
    for (let first = true; ; first = false) {
      const entries = await services.stream.range(jobId, cursor, REPLAY_PAGE);
      if (state.closed) return;
      // Read after the first page, so an entry trimmed in between errs towards a needless reset.
      const gone = first ? await lostHistory(jobId, after, summary.status, entries.length) : undefined;
      if (state.closed) return;
      if (gone) send(ws, { type: 'reset', job: summary, reason: gone });
      // Everything up to the relay's cursor was published before we subscribe; everything after
      // will be published after. So send up to it and subscribe in the same tick. The XRANGE reply
      // may be older than the relay's cursor (replies of two connections are handled in any
      // order), so only a read that reaches the cursor ends the replay.
      const live = services.relay.cursorOf(jobId) ?? '0-0';
      const upTo = entries.filter((e) => compareIds(e.id, live) <= 0);
      for (const message of messagesFor(upTo)) {
        if (message.type === 'job_complete') completed = true;
        if (!(await sendPaced(state, message))) return;
      }
      if (upTo.length > 0) cursor = upTo.at(-1)!.id;
      emptyReads = entries.length === 0 ? emptyReads + 1 : 0;
      // Two empty reads in a row below the cursor: the history is gone (expired), nothing to wait for.
      if (compareIds(cursor, live) >= 0 || upTo.length < entries.length || emptyReads >= 2) {
        ws.subscribe(jobTopic(jobId));
        break;
      }
    }
    if (!completed && isTerminal(summary.status)) send(ws, { type: 'job_complete', status: summary.status });
  }

  function unknownJob(ws: SocketLike, jobId: string) {
    send(ws, { type: 'error', code: 'JOB_NOT_FOUND', message: `No job with id "${jobId.slice(0, 64)}"` });
    ws.close(CLOSE_UNKNOWN_JOB, 'unknown job');
  }

  /** Why some events after the cursor can no longer be replayed, or undefined when none are lost. */
  async function lostHistory(jobId: string, after: string, status: JobStatus, replayed: number) {
    const first = await services.stream.first(jobId);
    if (!first) {
      // Only a finished job's stream expires; a viewer from the start has then missed all of it.
      const expired = (after === '0' || after === '0-0') && isTerminal(status) && replayed === 0;
      return expired ? 'the job’s event history has expired' : undefined;
    }
    // Seqs start at 1, so a later first one means older entries were trimmed. (A cursor that is
    // exactly the last trimmed entry gets a needless reset, which is harmless.)
    const trimmed = first.event.seq > 1 && compareIds(after, first.id) < 0;
    return trimmed ? 'older events were trimmed (EVENT_STREAM_MAXLEN)' : undefined;
  }

  return new Elysia({ name: 'progress-socket' }).ws('/ws/jobs/:id/progress', {
    // Checked once open rather than by Elysia, which would refuse the upgrade with a 422 that a
    // browser's WebSocket never sees: a 44xx close tells the client not to retry.
    open(ws) {
      services.sockets.open(ws, '/ws/jobs/:id/progress', `the events of job ${ws.data.params.id}`, () => {
        const { id } = ws.data.params;
        const after = (ws.data.query as { after?: string }).after ?? '0';
        if (!isCursor(after)) {
          const message = `after must be a stream cursor like 1732450000000-0, or 0; got "${after.slice(0, 40)}"`;
          send(ws, { type: 'error', code: 'VALIDATION', message });
          ws.close(CLOSE_BAD_REQUEST, 'bad cursor');
          return;
        }
        if (!isJobId(id)) return unknownJob(ws, id);
        return start(ws, id, after);
      });
    },
    drain(ws) {
      const state = open.get(ws.id);
      state?.drained?.();
      if (state) state.drained = undefined;
    },
    close(ws) {
      services.sockets.closed(ws);
      const state = open.get(ws.id);
      if (!state) return;
      open.delete(ws.id);
      state.closed = true;
      state.drained?.();
      if (state.watching) services.relay.release(state.jobId);
    },
  });
};
