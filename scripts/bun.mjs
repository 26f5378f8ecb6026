// Runs the project's pinned Bun (installed by setup.mjs) with the given arguments,
// passing the exit code through. Ctrl-C reaches the child through the process group.
import { spawn } from 'node:child_process';
import { bunPath } from './setup-paths.mjs';

const child = spawn(bunPath, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
