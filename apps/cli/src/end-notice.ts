// `--notify`: tells whoever started `headway` that the job has ended, in case they looked away:
// the terminal's bell (on standard error, which stays the terminal when the output is piped), and
// a desktop notification through `notify-send` where one is installed (Linux desktops). Without
// it, the bell alone; a notify-send that fails is ignored, one that hangs is stopped.
import type { JobStatus } from '@headway/progress/client';

export const BELL = '\x07';
/** A notify-send still running by then (no notification daemon answering) is stopped. */
const NOTIFY_SEND_WAIT_MS = 2000;

export interface JobEndNotice {
  jobId: string;
  status: JobStatus;
  name?: string;
  reason?: string;
}

export interface NoticeOptions {
  /** Writes the bell (standard error). */
  write: (text: string) => void;
  /** notify-send's path, or undefined where there is none (default: looked up on PATH). */
  notifySend?: string | null;
  /** How long notify-send may take before it is stopped. */
  waitMs?: number;
}

const ENDED: Partial<Record<JobStatus, string>> = { completed: 'completed', failed: 'failed', cancelled: 'was cancelled' };

/** notify-send's title and text for the job's end. */
export function noticeText({ jobId, status, name, reason }: JobEndNotice): { title: string; body: string } {
  const title = `Headway: ${name || `job ${jobId}`} ${ENDED[status] ?? status}`;
  const body = (reason ? reason.slice(0, 300) : `job ${jobId}`).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return { title, body };
}

export async function notifyEnd(
  notice: JobEndNotice,
  { write, notifySend = Bun.which('notify-send'), waitMs = NOTIFY_SEND_WAIT_MS }: NoticeOptions,
): Promise<void> {
  write(BELL);
  if (!notifySend) return;
  const { title, body } = noticeText(notice);
  const urgency = notice.status === 'completed' ? 'normal' : 'critical';
  try {
    const child = Bun.spawn([notifySend, '--app-name=Headway', `--urgency=${urgency}`, '--', title, body], {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
    });
    const timer = setTimeout(() => child.kill(), waitMs);
    await child.exited;
    clearTimeout(timer);
  } catch {
    // No desktop to notify (no display, no notification daemon): the bell has rung.
  }
}
