// Where an artifact lives: its API address, its permalink in the app, and what a relative link
// inside one artifact (a report's `charts/radar.svg`) names among the job's other artifacts.

const encodeName = (name: string): string => name.split('/').map(encodeURIComponent).join('/');

/** `/api/jobs/<id>/artifacts/<name>`, each segment encoded; `attempt` pins one attempt's file. */
export function artifactUrl(jobId: string, name: string, options: { attempt?: number; download?: boolean } = {}): string {
  const query = new URLSearchParams();
  if (options.attempt !== undefined) query.set('attempt', String(options.attempt));
  if (options.download) query.set('download', '1');
  const search = query.toString() ? `?${query}` : '';
  return `/api/jobs/${encodeURIComponent(jobId)}/artifacts/${encodeName(name)}${search}`;
}

export const artifactsZipUrl = (jobId: string): string => `/api/jobs/${encodeURIComponent(jobId)}/artifacts.zip`;

/** The job page with this artifact's preview open. */
export const artifactPermalink = (jobId: string, name: string): string =>
  `/jobs/${encodeURIComponent(jobId)}/artifacts/${encodeName(name)}`;

/**
 * The artifact a link written in artifact `from` names (relative to `from`'s folder, query and
 * fragment ignored), or undefined when it names no artifact of `names`: an absolute URL, a
 * scheme, a path that climbs out of the job's artifacts, or a file that is not there.
 */
export function linkedArtifact(from: string, href: string, names: ReadonlySet<string>): string | undefined {
  const target = href.trim().replace(/[?#].*$/s, '');
  if (target === '' || target.startsWith('/') || target.includes('\\')) return undefined;
  // A scheme (`javascript:`, `data:`, `https:`) is never an artifact.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) return undefined;
  const path = from.split('/').slice(0, -1);
  for (const raw of target.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (path.length === 0) return undefined;
      path.pop();
    } else path.push(segment);
  }
  const name = path.join('/');
  return names.has(name) ? name : undefined;
}

/** Links a reader may follow out of a preview: the web and mail, nothing that runs or embeds. */
export const isSafeExternalLink = (href: string): boolean => /^(https?:\/\/|mailto:)/i.test(href.trim());
