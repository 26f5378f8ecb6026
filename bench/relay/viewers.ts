// A child process of WebSocket viewers (Bun's global WebSocket), so the clients do not share an
// event loop with the emitter or the server. Measures each latency message's receive − emit time,
// or in `count` mode just counts messages and when the last arrived.
import { emitTimeOf, serveParent, wallNow } from './shared.ts';

interface Viewer {
  socket: WebSocket;
  received: number;
  closed?: { code: number; reason: string };
}

const viewers: Viewer[] = [];
let mode: 'latency' | 'count' = 'latency';
let samples: number[] = [];
let counted = 0;
let lastAt = 0;

function open(url: string): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const viewer: Viewer = { socket: new WebSocket(url), received: 0 };
    const timer = setTimeout(() => reject(new Error(`no first message from ${url} within 20 s`)), 20_000);
    viewer.socket.onmessage = (m) => {
      const at = wallNow();
      // The first message (initial_status, or the raw server's hello) only says the viewer is in.
      if (viewer.received++ === 0) {
        clearTimeout(timer);
        return resolve(viewer);
      }
      if (mode === 'count') {
        counted++;
        lastAt = at;
        return;
      }
      const emitted = emitTimeOf(String(m.data));
      if (emitted !== undefined) samples.push(at - emitted);
    };
    viewer.socket.onerror = () => reject(new Error(`could not connect to ${url}`));
    viewer.socket.onclose = (e) => {
      viewer.closed = { code: e.code, reason: e.reason };
      clearTimeout(timer);
      reject(new Error(`closed (${e.code}) before the first message: ${url}`));
    };
  });
}

serveParent(process.pid, {
  /** Opens the sockets a batch at a time, each counted in once its first message arrived. */
  async connect({ urls, batch = 50 }: { urls: string[]; batch?: number }) {
    for (let i = 0; i < urls.length; i += batch) viewers.push(...(await Promise.all(urls.slice(i, i + batch).map(open))));
    return viewers.length;
  },
  mode({ mode: next }: { mode: typeof mode }) {
    mode = next;
    samples = [];
    counted = 0;
    lastAt = 0;
  },
  /** Latency samples since the last mode/collect, or the count and the last arrival. */
  collect() {
    const out = { samples, counted, lastAt };
    samples = [];
    return out;
  },
  status() {
    return {
      open: viewers.filter((v) => !v.closed).length,
      closed: viewers.flatMap((v) => (v.closed ? [v.closed] : [])),
      /** Messages each viewer got after its first. */
      received: viewers.map((v) => v.received - 1),
    };
  },
  async closeAll() {
    await Promise.all(
      viewers.map(
        (v) =>
          new Promise<void>((resolve) => {
            if (v.closed || v.socket.readyState === WebSocket.CLOSED) return resolve();
            v.socket.onclose = () => resolve();
            v.socket.close();
            setTimeout(resolve, 5000);
          }),
      ),
    );
    viewers.length = 0;
  },
});
