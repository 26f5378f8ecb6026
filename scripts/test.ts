// `npm test`: builds the web app, runs every vitest project (unit, integration, e2e) under Bun,
// typechecks and lints, and ends with one plain line of totals (the typecheck and the lint count as
// one each) so a run that executed nothing is visible.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsFile = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });

function run(cmd: string[], cwd = root): number {
  const result = Bun.spawnSync(cmd, { cwd, stdio: ['inherit', 'inherit', 'inherit'] });
  return result.exitCode ?? 1;
}

if (run([process.execPath, 'run', 'build'], join(root, 'apps/web')) !== 0) {
  console.log('0 passed, 1 failed (the web app did not build)');
  process.exit(1);
}

// Strict TypeScript over every workspace counts as one check in the totals.
const typecheck = run([process.execPath, 'x', 'tsc', '-p', 'tsconfig.json', '--noEmit']) === 0;
if (!typecheck) console.log('typecheck failed (tsc --noEmit)');

// Biome's linter and formatter over the whole tree (`npm run lint`) count as one check.
const lint = run([process.execPath, 'x', 'biome', 'check', '.']) === 0;
if (!lint) console.log('lint failed (npm run lint; `npm run lint -- --write` fixes what it can)');

const code = run([
  process.execPath,
  '--bun',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsFile}`,
  ...process.argv.slice(2),
]);

let totals = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
try {
  totals = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  totals.numFailedTests = 1;
}
const checks = [typecheck, lint];
const passed = totals.numPassedTests + checks.filter(Boolean).length;
const failed = totals.numFailedTests + checks.filter((ok) => !ok).length;
const skipped = totals.numPendingTests + totals.numTodoTests;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
