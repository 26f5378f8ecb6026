// A finished job whose whole history an abuse test reads before and after its hostile requests:
// equal snapshots show that nothing the attacker sent reached another job's data.
import { expect } from 'vitest';

export interface Sentinel {
  id: string;
  /** The job as GET /api/jobs/:id answers and its every event, as they are now. */
  snapshot(): Promise<string>;
  /** Fails the test unless the job and its events are exactly as when it finished. */
  expectUnchanged(): Promise<void>;
}

export async function createSentinel(apiUrl: string, headers: Record<string, string> = {}): Promise<Sentinel> {
  const created = await fetch(`${apiUrl}/api/jobs`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review', name: 'sentinel', input: { runMode: 'ONCE', paceMs: 0 } }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const read = async (path: string) => {
    const res = await fetch(`${apiUrl}/api/jobs/${id}${path}`, { headers });
    expect(res.status, path).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };
  for (const deadline = Date.now() + 60_000; (await read('')).status !== 'completed'; await Bun.sleep(200)) {
    if (Date.now() > deadline) throw new Error(`sentinel job ${id} did not complete within 60 s`);
  }
  const snapshot = async () => JSON.stringify([await read(''), await read('/events?limit=5000')]);
  const before = await snapshot();
  return { id, snapshot, expectUnchanged: async () => expect(await snapshot()).toBe(before) };
}
