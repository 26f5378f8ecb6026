// Serves the built web app: files under dist/, and index.html for the app's own routes.
import { join, normalize } from 'node:path';
import { Elysia } from 'elysia';

export const webApp = (distDir: string) => {
  const root = normalize(distDir);
  const index = () => {
    const file = Bun.file(join(root, 'index.html'));
    return file.exists().then((ok) =>
      ok
        ? new Response(file, { headers: { 'content-type': 'text/html; charset=utf-8' } })
        : new Response('The web app is not built: run `npm run build`.', { status: 503 }),
    );
  };
  return new Elysia({ name: 'web-app' })
    .get('/', index)
    .get('/jobs/*', index)
    .get('/assets/*', async ({ params, set }) => {
      const path = normalize(join(root, 'assets', params['*']));
      const file = Bun.file(path);
      if (!path.startsWith(join(root, 'assets')) || !(await file.exists())) {
        set.status = 404;
        return { error: { code: 'NOT_FOUND', message: 'No such asset' } };
      }
      set.headers['cache-control'] = 'public, max-age=31536000, immutable';
      return file;
    });
};
