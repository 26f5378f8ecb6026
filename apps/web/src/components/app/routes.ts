// The app's pages by path. Paths outside these (the API, Bull Board) are left to the browser.

export type Route = { page: 'jobs' } | { page: 'job'; id: string } | { page: 'not-found' };

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html' || pathname === '/jobs' || pathname === '/jobs/') return { page: 'jobs' };
  const job = /^\/jobs\/([^/]+)\/?$/.exec(pathname);
  if (job?.[1]) {
    try {
      return { page: 'job', id: decodeURIComponent(job[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}
