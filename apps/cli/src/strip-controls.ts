// Log text comes from pipelines and the programs they run. Before it reaches a terminal every
// control character and escape sequence goes (the shared `plainText`), so a line cannot move the
// cursor, clear the screen or retitle the window; colour may stay when the terminal shows colour.
import { plainText } from '@headway/progress/client';

const RESET = '\x1b[0m';

/** The text with only what prints; with `keepColor`, a reset closes it, so its colour cannot run into what follows. */
export function stripControls(text: string, { keepColor = false } = {}): string {
  const safe = plainText(text, { keepColor });
  return keepColor && safe.includes('\x1b[') ? safe + RESET : safe;
}
