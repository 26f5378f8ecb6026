// The raw baseline server, a child process: Bun.serve with pub/sub and nothing else. A socket at
// `/<topic>` subscribes to it and gets a hello. Another process makes it publish by writing lines
// `<topic>` to a plain TCP port: each becomes one progress message shaped like the API's, stamped
// just before `publish`. Publishing from a socket's data callback is what the API does (from its
// Redis connection's); publishing from a timer instead measured 2–5× slower here, the write
// apparently waiting for the event loop's next wake-up.
import { progressMessage, serveParent, wallNow } from './shared.ts';

const server = Bun.serve<{ topic: string }, never>({
  hostname: '127.0.0.1',
  port: 0,
  fetch(req, srv) {
    const topic = decodeURIComponent(new URL(req.url).pathname.slice(1));
    return srv.upgrade(req, { data: { topic } }) ? undefined : new Response('websocket only', { status: 400 });
  },
  // The API's limits (apps/api/src/app.ts).
  websocket: {
    idleTimeout: 120,
    maxPayloadLength: 64 * 1024,
    backpressureLimit: 4 * 1024 * 1024,
    closeOnBackpressureLimit: true,
    open(ws) {
      ws.subscribe(ws.data.topic);
      ws.send('{"type":"hello"}');
    },
    message() {},
  },
});

let seq = 0;
let partial = '';
const trigger = Bun.listen({
  hostname: '127.0.0.1',
  port: 0,
  socket: {
    data(_socket, data) {
      const lines = (partial + data.toString()).split('\n');
      partial = lines.pop()!;
      for (const topic of lines) server.publish(topic, progressMessage(topic, ++seq, wallNow()));
    },
  },
});

serveParent({ ws: server.port, trigger: trigger.port }, {});
