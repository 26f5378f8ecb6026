// The tab's icon tells a job's state while its page is open (as GitHub's and Prefect's do), so a
// tab in the background shows when the job has ended. The page's own icon comes back on leaving.
import type { JobStatus } from '@headway/progress/client';

export type FaviconState = 'waiting' | 'running' | 'completed' | 'failed';

const svg = (body: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">${body}</svg>`)}`;

/** Small inline SVGs, one a state: a grey ring, a blue ring half done, a green tick, a red cross. */
export const FAVICONS: Record<FaviconState, string> = {
  waiting: svg(`<circle cx="8" cy="8" r="6" fill="none" stroke="#6b7280" stroke-width="2.5"/>`),
  running: svg(
    `<circle cx="8" cy="8" r="6" fill="none" stroke="#bfdbfe" stroke-width="2.5"/><path d="M8 2a6 6 0 0 1 0 12" fill="none" stroke="#2563eb" stroke-width="2.5"/>`,
  ),
  completed: svg(
    `<circle cx="8" cy="8" r="8" fill="#16a34a"/><path d="M4.5 8.5l2.3 2.3 4.7-5" fill="none" stroke="#fff" stroke-width="2"/>`,
  ),
  failed: svg(`<circle cx="8" cy="8" r="8" fill="#dc2626"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="2"/>`),
};

export function faviconState(status: JobStatus): FaviconState {
  switch (status) {
    case 'completed':
      return 'completed';
    case 'failed':
    case 'cancelled':
      return 'failed';
    case 'waiting':
      return 'waiting';
    default:
      return 'running';
  }
}

/** The page's icon before a job page changed it; undefined while it shows its own. */
let original: string | undefined;

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  return link;
}

export function showJobFavicon(status: JobStatus): void {
  const link = iconLink();
  const href = FAVICONS[faviconState(status)];
  original ??= link.getAttribute('href') ?? '';
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
  link.dataset.state = faviconState(status);
}

export function restoreFavicon(): void {
  if (original === undefined) return;
  const link = iconLink();
  link.setAttribute('href', original);
  delete link.dataset.state;
  original = undefined;
}
