// Where setup.mjs puts the pinned Bun; shared by the Node launchers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUN_VERSION = '1.4.4';
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bunPath = join(root, '.tools', 'node_modules', '.bin', 'bun');
