// Splits a program's output into lines without trusting it: a line longer than the limit is cut
// as it arrives (the rest is counted, never held), bytes that are not UTF-8 become U+FFFD, and
// reading waits on `pace` after each line, so a program that prints too fast waits on its writes
// instead of filling the worker's memory.

export interface LineReaderOptions {
  maxLineBytes: number;
  /** `cutFrom` is the line's whole length in bytes when it was longer than the limit. */
  onLine(line: string, cutFrom?: number): void;
  /** Called after each line: undefined, or a promise of when the next line may be read. */
  pace(): Promise<void> | undefined;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export async function readLines(stream: ReadableStream<Uint8Array>, options: LineReaderOptions): Promise<void> {
  const { maxLineBytes, onLine, pace } = options;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let parts: Uint8Array[] = [];
  let kept = 0;
  let length = 0;

  const take = (bytes: Uint8Array) => {
    length += bytes.length;
    const room = maxLineBytes - kept;
    if (room <= 0 || bytes.length === 0) return;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    // The chunk's buffer may be reused by the stream; keep a copy of what the line needs.
    parts.push(part.slice());
    kept += part.length;
  };
  const emit = (bytes: Uint8Array, cutFrom?: number) => {
    const text = bytes.at(-1) === CARRIAGE_RETURN ? bytes.subarray(0, -1) : bytes;
    onLine(decoder.decode(text), cutFrom);
  };
  const end = () => {
    emit(parts.length === 1 ? parts[0]! : concat(parts, kept), length > maxLineBytes ? length : undefined);
    parts = [];
    kept = 0;
    length = 0;
  };

  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      // Most lines lie inside one chunk: decoded in place, with no copy.
      if (length === 0 && nl - start <= maxLineBytes) emit(chunk.subarray(start, nl));
      else {
        take(chunk.subarray(start, nl));
        end();
      }
      start = nl + 1;
      const wait = pace();
      if (wait) await wait;
    }
    take(chunk.subarray(start));
  }
  if (length > 0) end();
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
