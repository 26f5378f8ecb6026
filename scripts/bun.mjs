// Runs the project's pinned Bun (installed by setup.mjs) with the given arguments,
// passing the exit code through. Ctrl-C already reaches the child through the terminal's
// process group, so SIGINT is only kept from killing this launcher, not forwarded.
import { spawn } from 'node:child_process';
import { bunPath } from './setup-paths.mjs';

const child = spawn(bunPath, process.argv.slice(2), { stdio: 'inherit' });
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
