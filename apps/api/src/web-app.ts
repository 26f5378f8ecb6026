// Serves the built web app: files under dist/, and index.html for the app's own routes.
import { join, normalize } from 'node:path';
import { HeadwayError, pathInside } from '@headway/progress';
import { Elysia } from 'elysia';

/**
 * Scripts only from this origin, so a log line that slipped into the page as HTML still could not
 * run anything. Styles may be inline: Lit's `styleMap` writes them, and they run no code.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export const webApp = (distDir: string) => {
  const root = normalize(distDir);
  const index = () => {
    const file = Bun.file(join(root, 'index.html'));
    return file
      .exists()
      .then((ok) =>
        ok
          ? new Response(file, { headers: PAGE_HEADERS })
          : new Response('The web app is not built: run `npm run build`.', { status: 503 }),
      );
  };
  return new Elysia({ name: 'web-app' })
    .get('/', index)
    .get('/jobs/*', index)
    .get('/pipelines/*', index)
    .get('/assets/*', async ({ params, set }) => {
      const path = assetPath(root, params['*']);
      const file = path && Bun.file(path);
      if (!file || !(await file.exists())) throw new HeadwayError(404, 'NOT_FOUND', 'No such asset');
      set.headers['cache-control'] = 'public, max-age=31536000, immutable';
      return file;
    });
};

/** The file an `/assets/*` request names, or undefined when it would lie outside `dist/assets`. */
function assetPath(root: string, name: string): string | undefined {
  try {
    return pathInside(join(root, 'assets'), name);
  } catch {
    return undefined;
  }
}
