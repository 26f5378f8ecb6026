// `npm run bench [-- name…]`: runs benchmarks, each printing its figure beside a baseline measured
// in the same run, and writes bench-results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchArtifacts } from '../bench/artifacts.ts';
import { benchCommand } from '../bench/command.ts';
import { benchEta } from '../bench/eta.ts';
import { benchEvents } from '../bench/events.ts';
import { benchRelay } from '../bench/relay.ts';
import { benchSearch } from '../bench/search.ts';
import { benchUi } from '../bench/ui.ts';

const benches: Record<string, (args: string[]) => Promise<unknown>> = {
  events: benchEvents,
  eta: benchEta,
  relay: benchRelay,
  ui: benchUi,
  command: benchCommand,
  search: benchSearch,
  artifacts: benchArtifacts,
};
const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
// Names are the arguments before the first option (`eta --histories FILE`).
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const unknown = wanted.filter((name) => !benches[name]);
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  const result = await benches[name]!(args);
  writeFileSync(join(root, 'bench-results', `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
