// The app's pages by path. Paths outside these (the API, Bull Board) are left to the browser.

/**
 * `artifact`: a permalink's artifact name (`/jobs/<id>/artifacts/<name>`), its preview opened.
 * `pipeline`: a pipeline's history (`/pipelines/<name>`); with `compare`, two of its runs side by
 * side (`/pipelines/<name>/compare?a=<id>&b=<id>`, the query read by the page itself).
 */
export type Route =
  | { page: 'jobs' }
  | { page: 'job'; id: string; artifact?: string }
  | { page: 'pipeline'; name: string; compare?: true }
  | { page: 'not-found' };

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html' || pathname === '/jobs' || pathname === '/jobs/') return { page: 'jobs' };
  const job = /^\/jobs\/([^/]+)(?:\/artifacts\/(.+?))?\/?$/.exec(pathname);
  if (job?.[1]) {
    try {
      const id = decodeURIComponent(job[1]);
      if (job[2] === undefined) return { page: 'job', id };
      return { page: 'job', id, artifact: job[2].split('/').map(decodeURIComponent).join('/') };
    } catch {
      return { page: 'not-found' };
    }
  }
  const pipeline = /^\/pipelines\/([^/]+)(\/compare)?\/?$/.exec(pathname);
  if (pipeline?.[1]) {
    try {
      const name = decodeURIComponent(pipeline[1]);
      return pipeline[2] ? { page: 'pipeline', name, compare: true } : { page: 'pipeline', name };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}
