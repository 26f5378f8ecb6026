import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BELL, noticeText, notifyEnd } from './end-notice.ts';

const dir = mkdtempSync(join(tmpdir(), 'hw-notice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A notify-send that writes its arguments, one a line, to `file`. */
function fakeNotifySend(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('notifyEnd', () => {
  it('rings the bell and passes the job’s end to notify-send', async () => {
    const args = join(dir, 'args');
    const notifySend = fakeNotifySend('notify-send', `printf '%s\\n' "$@" > ${args}`);
    let written = '';
    await notifyEnd(
      { jobId: '42', status: 'failed', name: 'Nightly', reason: 'Fails\u001b[31m at once' },
      { write: (text) => (written += text), notifySend },
    );
    expect(written).toBe(BELL);
    expect(readFileSync(args, 'utf8').split('\n')).toEqual([
      '--app-name=Headway',
      '--urgency=critical',
      '--',
      'Headway: Nightly failed',
      'Fails [31m at once',
      '',
    ]);
  });

  it('rings the bell alone where there is no notify-send, and does not wait for one that hangs or fails', async () => {
    let written = '';
    await notifyEnd({ jobId: '7', status: 'completed' }, { write: (text) => (written += text), notifySend: null });
    expect(written).toBe(BELL);
    const started = performance.now();
    await notifyEnd({ jobId: '7', status: 'completed' }, { write: () => {}, notifySend: fakeNotifySend('hangs', 'sleep 30'), waitMs: 200 });
    expect(performance.now() - started).toBeLessThan(1500);
    await notifyEnd({ jobId: '7', status: 'completed' }, { write: () => {}, notifySend: join(dir, 'missing') });
  });

  it('titles a job by its name or its id', () => {
    expect(noticeText({ jobId: '7', status: 'completed' })).toEqual({ title: 'Headway: job 7 completed', body: 'job 7' });
    expect(noticeText({ jobId: '7', status: 'cancelled', name: 'x', reason: 'Cancelled: by olga' })).toEqual({
      title: 'Headway: x was cancelled',
      body: 'Cancelled: by olga',
    });
  });
});
