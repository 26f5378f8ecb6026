import { describe, expect, it } from 'vitest';
import { stripControls } from './strip-controls.ts';

describe('stripControls', () => {
  it('removes what would move the cursor, clear the screen or retitle the window', () => {
    const hostile = 'a\rb\x1b[2J\x1b[Hc\x1b[3A\x1b]0;pwned\x07d\x1bce\x08f\x9b2Jg\x00h\x7f';
    expect(stripControls(hostile)).toBe('abcdefgh');
  });

  it('keeps tabs and line feeds', () => {
    expect(stripControls('a\tb\nc')).toBe('a\tb\nc');
  });

  it('keeps colour only when asked, and then closes it with a reset', () => {
    const red = '\x1b[31mred\x1b[39m and \x1b[1;32mbold green';
    expect(stripControls(red)).toBe('red and bold green');
    expect(stripControls(red, { keepColor: true })).toBe(`${red}\x1b[0m`);
  });

  it('never keeps a cursor sequence, even with colour on', () => {
    expect(stripControls('\x1b[31mx\x1b[1Ay\x1b[2K', { keepColor: true })).toBe('\x1b[31mxy\x1b[0m');
  });

  it('drops a lone or cut-off escape', () => {
    expect(stripControls('a\x1b')).toBe('a');
    expect(stripControls('a\x1b[')).toBe('a');
    // An OSC string cut off before its end goes whole: nothing of a title reaches the terminal.
    expect(stripControls('a\x1b]0;title')).toBe('a');
  });
});
