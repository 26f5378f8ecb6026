import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_UNKNOWN_JOB } from '../model/close-codes.ts';
import type { ServerMessage } from '../model/messages.ts';
import { backoffDelay, type ConnectionInfo, ProgressSocket } from './progress-socket.ts';

type Script = (ws: { send(text: string): unknown; close(code?: number, reason?: string): unknown }, n: number) => void;

/** A WebSocket server that plays `script` to its n-th connection and records each URL asked for. */
function server(script: Script) {
  const urls: string[] = [];
  const srv = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(req, s) {
      urls.push(new URL(req.url).search);
      return s.upgrade(req) ? undefined : new Response('no', { status: 400 });
    },
    websocket: { open: (ws) => script(ws, urls.length), message() {} },
  });
  return { urls, origin: `ws://127.0.0.1:${srv.port}`, stop: () => srv.stop(true) };
}

const log = (id: string, seq: number) => ({
  id,
  event: { kind: 'log', jobId: '1', attempt: 1, ts: '2026-11-24T00:00:00.000Z', seq, level: 'info', message: `m${seq}` },
});
const send = (ws: { send(text: string): unknown }, message: unknown) => ws.send(JSON.stringify(message));

async function until(predicate: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await Bun.sleep(5);
  }
}

let stop: (() => unknown) | undefined;
afterEach(() => stop?.());

describe('ProgressSocket', () => {
  it('reconnects after a drop and resumes after the last event; a reset leaves the cursor alone', async () => {
    const s = server((ws, n) => {
      if (n === 1) {
        send(ws, { type: 'logs', lines: [log('5-0', 1), log('6-0', 2)] });
        send(ws, { type: 'reset', job: { id: '1' }, reason: 'older events were trimmed' });
        ws.close(1011, 'server error');
      } else {
        send(ws, { type: 'logs', lines: [log('7-0', 3)] });
      }
    });
    stop = s.stop;
    const messages: ServerMessage[] = [];
    const states: ConnectionInfo['state'][] = [];
    const socket = new ProgressSocket('1', {
      origin: s.origin,
      baseDelayMs: 1,
      onMessage: (m) => messages.push(m),
      onStateChange: (info) => states.push(info.state),
    });
    socket.connect();
    await until(() => socket.cursor === '7-0');
    socket.close();
    expect(s.urls).toEqual(['?after=0', '?after=6-0']);
    expect(messages.map((m) => m.type)).toEqual(['logs', 'reset', 'logs']);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('offline');
  });

  it('stays closed after a 44xx close: the request itself is wrong', async () => {
    const s = server((ws) => {
      send(ws, { type: 'error', code: 'JOB_NOT_FOUND', message: 'No job with id "1"' });
      ws.close(CLOSE_UNKNOWN_JOB, 'unknown job');
    });
    stop = s.stop;
    const infos: ConnectionInfo[] = [];
    const socket = new ProgressSocket('1', { origin: s.origin, baseDelayMs: 1, onMessage() {}, onStateChange: (i) => infos.push(i) });
    socket.connect();
    await until(() => infos.at(-1)?.state === 'offline');
    await Bun.sleep(50);
    expect(s.urls).toHaveLength(1);
    expect(infos.at(-1)).toMatchObject({ state: 'offline', closeCode: CLOSE_UNKNOWN_JOB, closeReason: 'unknown job' });
  });

  it('backs off with full jitter under a cap', () => {
    for (let failures = 0; failures < 12; failures++) {
      const delay = backoffDelay(failures, 500, 10_000);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(10_000, 500 * 2 ** failures));
    }
  });
});
