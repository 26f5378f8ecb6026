// The API's docs page at /openapi: Swagger UI from the pinned swagger-ui-dist package, served by
// this API, so the page runs no script from another site (the plugin's default loads an unpinned
// one from a CDN onto this origin) and no page elsewhere can frame it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Elysia } from 'elysia';

const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Headway API</title>
<link rel="stylesheet" href="/openapi/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/openapi/swagger-ui-bundle.js"></script>
<script src="/openapi/start.js"></script>
</body>
</html>
`;

const START = `window.ui = SwaggerUIBundle({ url: '/openapi/json', dom_id: '#swagger-ui' });\n`;

/** Scripts and styles only from this origin; never in a frame. */
export const DOCS_SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};

const served = (body: string | Blob, type: string) =>
  new Response(body, { headers: { ...DOCS_SECURITY_HEADERS, 'content-type': type, 'cache-control': 'public, max-age=3600' } });

export const apiDocs = new Elysia({ name: 'api-docs' })
  .get('/openapi', () => served(PAGE, 'text/html; charset=utf-8'), { detail: { hide: true } })
  .get('/openapi/start.js', () => served(START, 'text/javascript; charset=utf-8'), { detail: { hide: true } })
  .get('/openapi/swagger-ui-bundle.js', () => served(Bun.file(join(dist, 'swagger-ui-bundle.js')), 'text/javascript; charset=utf-8'), {
    detail: { hide: true },
  })
  .get('/openapi/swagger-ui.css', () => served(Bun.file(join(dist, 'swagger-ui.css')), 'text/css; charset=utf-8'), {
    detail: { hide: true },
  });
