import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi.ts';

const joined = (input: string) =>
  parseAnsi(input)
    .map((s) => s.text)
    .join('');

describe('parseAnsi', () => {
  it('returns text without colour codes as one plain segment', () => {
    expect(parseAnsi('plain <b>text</b>')).toEqual([{ text: 'plain <b>text</b>', classes: '' }]);
  });

  it('splits coloured text into segments with classes for colours and decorations', () => {
    expect(parseAnsi('\x1b[31mred\x1b[0m and \x1b[1;92mbold bright green\x1b[0m \x1b[44mon blue')).toEqual([
      { text: 'red', classes: 'fg-1' },
      { text: ' and ', classes: '' },
      { text: 'bold bright green', classes: 'b fg-10' },
      { text: ' ', classes: '' },
      { text: 'on blue', classes: 'bg-4' },
    ]);
  });

  it('keeps markup as text in a coloured segment', () => {
    expect(parseAnsi('\x1b[31m<script>alert(1)</script>')).toEqual([{ text: '<script>alert(1)</script>', classes: 'fg-1' }]);
  });

  it('gives 256-colour and true-colour text an rgb colour', () => {
    expect(parseAnsi('\x1b[38;5;208morange\x1b[48;2;10;20;30mdark')).toEqual([
      { text: 'orange', classes: '', color: 'rgb(255 135 0)' },
      { text: 'dark', classes: '', color: 'rgb(255 135 0)', background: 'rgb(10 20 30)' },
    ]);
  });

  it('drops OSC 8 links, cursor moves and other controls, keeping their visible text', () => {
    expect(joined('\x1b]8;;javascript:alert(1)\x07click\x1b]8;;\x07 here\x1b[2K\x07\x08!')).toBe('click here!');
    expect(joined('\x1b[32mgreen\x1b]0;title\x1b\\ text\x1bc')).toBe('green text');
    expect(joined('tab\tand\nnew line')).toBe('tab\tand\nnew line');
  });
});
