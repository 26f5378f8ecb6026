// Where the worker's CPU goes on the command path, without Redis or a child process: flood.py's
// captured output, in the chunks the pipe delivered it in, replayed through apps/worker's
// readLines alone, then with parseProtocolLine, then with CommandProtocol and a ProgressTracker
// whose events go nowhere; and the tracker alone, which is what a code pipeline pays before the sink.
import { CommandProtocol, MAX_LINE_BYTES, ProgressTracker, parseProtocolLine } from '@headway/progress';
import { readLines } from '../../apps/worker/src/line-reader.ts';

const stages = [{ name: 'work', label: 'Work', weight: 1 }];
const ROUNDS = 3;

export interface ProfileResult {
  /** µs per line (per event for the tracker), best of ROUNDS. */
  read_us: number;
  read_parse_us: number;
  read_protocol_tracker_us: number;
  tracker_only_us: number;
}

function replay(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!.slice());
      else controller.close();
    },
  });
}

const tracker = () => new ProgressTracker({ jobId: 'profile', attempt: 1, stages, emit: () => {} });

async function best(lines: number, run: () => Promise<unknown> | unknown): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return Math.round(((fastest * 1000) / lines) * 100) / 100;
}

/** Replays `chunks` (flood.py's `lines` progress lines and its stage line) the three ways, then the tracker alone. */
export async function profileWorker(chunks: readonly Uint8Array[], lines: number): Promise<ProfileResult> {
  // As command-runner.ts paces: an async call after every chunk, here never waiting.
  const pace = async () => void performance.now();
  const read = (onLine: (line: string) => void) => readLines(replay(chunks), { maxLineBytes: MAX_LINE_BYTES, pace, onLine });
  let sink = 0;
  const read_us = await best(lines, () => read((line) => (sink += line.length)));
  const read_parse_us = await best(lines, () => read((line) => (sink += parseProtocolLine(line).kind.length)));
  const read_protocol_tracker_us = await best(lines, () => {
    const protocol = new CommandProtocol(tracker(), stages, 'bench');
    return read((line) => protocol.stdout(line));
  });
  const tracker_only_us = await best(lines, () => {
    const t = tracker();
    t.emit('work', 'starting', 'Work');
    for (let i = 1; i <= lines; i++) t.emit('work', 'running', '', { stageProgress: i / lines });
  });
  if (sink === 0) throw new Error('nothing was read');
  return { read_us, read_parse_us, read_protocol_tracker_us, tracker_only_us };
}
