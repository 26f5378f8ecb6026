import { describe, expect, it } from 'vitest';
import { TerminalOutput } from './terminal-output.ts';

const stream = () => {
  const writes: string[] = [];
  return {
    writes,
    columns: 80,
    write: (text: string, done?: () => void) => {
      writes.push(text);
      done?.();
    },
  };
};

describe('TerminalOutput', () => {
  it('on a terminal, clears the status line, prints the lines and redraws it under them', () => {
    const s = stream();
    const out = new TerminalOutput(s, true);
    out.print([], '[##  ] 50 %');
    out.print(['a', 'b']);
    expect(s.writes).toEqual(['\r\x1b[2K[##  ] 50 %', '\r\x1b[2Ka\nb\n[##  ] 50 %']);
  });

  it('does not redraw an unchanged status line', () => {
    const s = stream();
    const out = new TerminalOutput(s, true);
    out.print([], 'x');
    out.print([], 'x');
    expect(s.writes).toHaveLength(1);
  });

  it('elsewhere writes whole lines only, never a status line', () => {
    const s = stream();
    const out = new TerminalOutput(s, false);
    out.print([], 'status');
    out.print(['a'], 'status');
    expect(s.writes).toEqual(['a\n']);
  });

  it('ends by taking the status line away before the last lines', async () => {
    const s = stream();
    const out = new TerminalOutput(s, true);
    out.print([], 'status');
    await out.end(['done']);
    expect(s.writes.at(-1)).toBe('\r\x1b[2Kdone\n');
    out.print(['late']);
    expect(s.writes.at(-1)).toBe('late\n');
  });
});
