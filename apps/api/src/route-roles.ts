// The least role of every route the API registers: REST, sockets, the dashboard's files, the
// API's docs and Bull Board. The access gate (access.ts) and the socket gate read it; a test
// (route-roles.test.ts) fails on any registered route missing here, or any entry no route has.
import type { Role } from '@headway/progress';
import { BULL_BOARD_PATH } from './bull-board.ts';

/** `public`: anyone, with or without a token. */
export type Need = 'public' | Role;

export interface RouteRule {
  need: Need;
  /** A share link for the route's `:id` reads it too (and nothing else). */
  shared?: boolean;
}

const open: RouteRule = { need: 'public' };
const viewer: RouteRule = { need: 'viewer' };
const viewerOrShare: RouteRule = { need: 'viewer', shared: true };
const operator: RouteRule = { need: 'operator' };
const admin: RouteRule = { need: 'admin' };

/** `METHOD path` as the router names it; a path ending in `/**` covers itself and everything under it. */
export const ROUTE_ROLES: Readonly<Record<string, RouteRule>> = {
  // The dashboard's page and files, signing in, the health check and the API's docs.
  'GET /': open,
  'GET /jobs/*': open,
  'GET /assets/*': open,
  'GET /healthz': open,
  'GET /api/session': open,
  'POST /api/session': open,
  'DELETE /api/session': open,
  'GET /openapi': open,
  'GET /openapi/json': open,
  'GET /openapi/start.js': open,
  'GET /openapi/swagger-ui-bundle.js': open,
  'GET /openapi/swagger-ui.css': open,
  'GET /metrics': viewer,
  'GET /api/pipelines': viewer,
  'GET /api/pipelines/:name/history': viewer,
  'GET /pipelines/*': open,
  'GET /api/jobs': viewer,
  'WS /ws/jobs': viewer,
  // One job: what a share link for it reads.
  'GET /api/jobs/:id': viewerOrShare,
  'GET /api/jobs/:id/events': viewerOrShare,
  'GET /api/jobs/:id/logs': viewerOrShare,
  'GET /api/jobs/:id/artifacts': viewerOrShare,
  'GET /api/jobs/:id/artifacts.zip': viewerOrShare,
  'GET /api/jobs/:id/artifacts/*': viewerOrShare,
  'WS /ws/jobs/:id/progress': viewerOrShare,
  'POST /api/jobs': operator,
  'POST /api/jobs/:id/cancel': operator,
  'POST /api/jobs/:id/retry': operator,
  'POST /api/jobs/:id/share': operator,
  'DELETE /api/share-links': admin,
  // Webhook deliveries name where the team's notices go.
  'GET /api/webhooks/deliveries': admin,
  // Bull Board: its pages, files and API, reads and writes alike (it is Redis access).
  [`ANY ${BULL_BOARD_PATH}/**`]: admin,
};

const exact = new Map(Object.entries(ROUTE_ROLES).filter(([key]) => !key.endsWith('/**')));
const trees = Object.entries(ROUTE_ROLES)
  .filter(([key]) => key.endsWith('/**'))
  .map(([key, rule]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, root: path.slice(0, -3), rule };
  });

/** The table's key that covers a route, or undefined when none does. */
export function ruleKeyFor(method: string, route: string): string | undefined {
  // HEAD is answered by the GET route.
  const key = `${method === 'HEAD' ? 'GET' : method} ${route}`;
  if (exact.has(key)) return key;
  const tree = trees.find((t) => (t.method === 'ANY' || t.method === method) && (route === t.root || route.startsWith(`${t.root}/`)));
  return tree && `${tree.method} ${tree.root}/**`;
}

/** The rule of a route; one the table does not name needs admin (and fails route-roles.test.ts). */
export function ruleFor(method: string, route: string): RouteRule {
  const key = ruleKeyFor(method, route);
  return key ? ROUTE_ROLES[key]! : admin;
}
