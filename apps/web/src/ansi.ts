// Turns log text with ANSI colour codes into plain-text segments with class names (and, for the
// 256-colour and true-colour forms, a colour), so the log view renders colour without ever
// treating text as HTML. Every other escape and control sequence (cursor moves, OSC 8 links,
// bells) is dropped first; anser, the parser Jupyter and Next.js use, reads the colour codes.
import { plainText } from '@headway/progress/client';
import Anser, { type AnserJsonEntry } from 'anser';

export interface AnsiSegment {
  text: string;
  /** Space-separated classes from a fixed set: `b`, `dim`, `i`, `u`, `s`, `fg-0`…`fg-15`, `bg-0`…`bg-15`. */
  classes: string;
  /** `rgb(…)` colours that have no class (256-colour palette beyond 16, true colour). */
  color?: string;
  background?: string;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const DECORATIONS: Partial<Record<string, string>> = { bold: 'b', dim: 'dim', italic: 'i', underline: 'u', strikethrough: 's' };

export function parseAnsi(input: string): AnsiSegment[] {
  const text = plainText(input, { keepColor: true });
  if (!text.includes('\x1b')) return [{ text, classes: '' }];
  const segments: AnsiSegment[] = [];
  for (const entry of Anser.ansiToJson(text, { use_classes: true, remove_empty: true })) {
    // Anser leaves what it does not read in the text; plainText has already removed it all but SGR.
    const segmentText = plainText(entry.content);
    if (!segmentText) continue;
    const fg = colour(entry.fg, entry.fg_truecolor);
    const bg = colour(entry.bg, entry.bg_truecolor);
    const classes = [
      ...entry.decorations.flatMap((d) => DECORATIONS[d] ?? []),
      ...(fg?.index !== undefined ? [`fg-${fg.index}`] : []),
      ...(bg?.index !== undefined ? [`bg-${bg.index}`] : []),
    ].join(' ');
    segments.push({
      text: segmentText,
      classes,
      ...(fg?.rgb && { color: fg.rgb }),
      ...(bg?.rgb && { background: bg.rgb }),
    });
  }
  return segments;
}

type Colour = { index?: number; rgb?: string };

/** Anser's `ansi-red`, `ansi-bright-red`, `ansi-palette-208` or `ansi-truecolor` with "r, g, b". */
function colour(name: AnserJsonEntry['fg'] | null, truecolor: string | null): Colour | undefined {
  if (!name) return undefined;
  const basic = /^ansi-(bright-)?([a-z]+)$/.exec(name);
  const index = basic ? NAMES.indexOf(basic[2]!) : -1;
  if (basic && index >= 0) return { index: index + (basic[1] ? 8 : 0) };
  const palette = /^ansi-palette-(\d{1,3})$/.exec(name);
  if (palette) return { rgb: paletteRgb(Number(palette[1])) };
  const rgb = truecolor && /^(\d{1,3}), ?(\d{1,3}), ?(\d{1,3})$/.exec(truecolor);
  if (rgb) return { rgb: `rgb(${rgb[1]} ${rgb[2]} ${rgb[3]})` };
  return undefined;
}

/** xterm's 256 colours past the first 16: a 6×6×6 cube, then 24 greys. */
function paletteRgb(n: number): string | undefined {
  if (n < 16 || n > 255) return undefined;
  if (n >= 232) {
    const grey = 8 + (n - 232) * 10;
    return `rgb(${grey} ${grey} ${grey})`;
  }
  const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
  const i = n - 16;
  return `rgb(${level(Math.floor(i / 36))} ${level(Math.floor(i / 6) % 6)} ${level(i % 6)})`;
}
