import { describe, expect, it } from 'vitest';
import { readLines } from './line-reader.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

async function linesOf(chunks: Uint8Array[], maxLineBytes = 16) {
  const lines: [string, number?][] = [];
  let paced = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  await readLines(stream, {
    maxLineBytes,
    onLine: (line, cutFrom) => lines.push(cutFrom === undefined ? [line] : [line, cutFrom]),
    pace: () => void paced++,
  });
  return { lines, paced };
}

describe('readLines', () => {
  it('joins a line split across chunks, keeps empty lines, drops \\r before \\n, and ends an unterminated last line', async () => {
    const { lines, paced } = await linesOf([bytes('one\r\ntw'), bytes('o\n\nthr'), bytes('ee')]);
    expect(lines).toEqual([['one'], ['two'], [''], ['three']]);
    expect(paced).toBe(3);
  });

  it('decodes a character split across chunks, and turns bytes that are not UTF-8 into U+FFFD', async () => {
    const euro = bytes('€'); // 3 bytes
    const { lines } = await linesOf([bytes('a'), euro.subarray(0, 1), euro.subarray(1), bytes('\n'), new Uint8Array([0x62, 0xff, 0x0a])]);
    expect(lines).toEqual([['a€'], ['b\uFFFD']]);
  });

  it('cuts a line longer than the limit, reports its whole length, and reads on', async () => {
    const { lines } = await linesOf([bytes('x'.repeat(10)), bytes('y'.repeat(20)), bytes('z'.repeat(10)), bytes('\nok\n')]);
    expect(lines).toEqual([['xxxxxxxxxxyyyyyy', 40], ['ok']]);
  });
});
