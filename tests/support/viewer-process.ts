// A resuming viewer in a process of its own, so a test can freeze it (SIGSTOP) the way a stuck
// browser tab stops reading. Prints `receiving` at its first event, and one JSON line when it has
// seq `last`, then exits.
// Usage: bun tests/support/viewer-process.ts <apiUrl> <jobId> <last>
import { ResumingViewer, seqProblems } from './resuming-viewer.ts';

const [apiUrl, jobId, last] = process.argv.slice(2) as [string, string, string];
const viewer = new ResumingViewer(
  () => apiUrl,
  jobId,
  () => 200,
);
await viewer.waitFor((v) => v.entries.length > 0, 30_000);
console.log('receiving');
await viewer.waitFor((v) => v.entries.at(-1)?.event.seq === Number(last), 120_000);
viewer.stop();
console.log(JSON.stringify({ count: viewer.entries.length, problems: seqProblems(viewer.entries) ?? null, closes: viewer.closes }));
process.exit(0);
