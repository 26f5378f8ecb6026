// Log text comes from pipelines and the programs they run. Before it reaches a terminal every
// control character and escape sequence goes, so a line cannot move the cursor, clear the screen
// or retitle the window; colour (SGR, `ESC [ … m`) may stay when the terminal shows colour.

/** CSI sequences, OSC strings (ended by BEL or ST), DCS/SOS/PM/APC strings, other ESC pairs, 8-bit CSI. */
const ESCAPES = String.raw`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[ -~]|\x9b[0-?]*[ -/]*[@-~]`;
/** C0 controls but tab and line feed, DEL, C1 controls (a lone ESC among them). */
const CONTROLS = String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f]`;
const UNSAFE = new RegExp(`${ESCAPES}|${CONTROLS}`, 'g');
const SGR = /^\x1b\[[0-9;:]*m$/;
const RESET = '\x1b[0m';

/**
 * The text with only what prints: tabs and line feeds stay, and with `keepColor` so do colour
 * sequences (then a reset closes the text, so its colour cannot run into what follows).
 */
export function stripControls(text: string, { keepColor = false } = {}): string {
  let coloured = false;
  const safe = text.replace(UNSAFE, (match) => {
    if (keepColor && SGR.test(match)) {
      coloured = true;
      return match;
    }
    return '';
  });
  return coloured ? safe + RESET : safe;
}
