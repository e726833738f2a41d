/**
 * Serves the built dashboard (dashboard/dist): index.html at `/` and `/docs` with `no-cache`, and the hashed
 * bundle files under `/assets/` as immutable. Files are read once at start into a map keyed by their exact names,
 * so a request can name only a file the build wrote: no path from a URL ever reaches the file system.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The page may load and talk only to the hub itself; QR codes are data: images. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export interface DashboardFiles {
  index: Buffer;
  assets: Map<string, { body: Buffer; type: string }>;
}

/** the built files, or why there are none */
export function loadDashboard(dist: string): DashboardFiles | { missing: string } {
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) return { missing: `${indexFile} does not exist` };
  const assets = new Map<string, { body: Buffer; type: string }>();
  const assetDir = join(dist, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      const file = join(assetDir, name);
      if (!statSync(file).isFile()) continue;
      assets.set(name, { body: readFileSync(file), type: TYPES[extname(name)] ?? 'application/octet-stream' });
    }
  }
  return { index: readFileSync(indexFile), assets };
}

const MISSING_PAGE = (why: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Steward: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>The hub serves the dashboard from <code>dashboard/dist/</code>, which <code>npm run build</code> (run by <code>npm ci</code>) writes.
Run <code>npm run build</code> in the repository, then restart the hub. The API works without it: <a href="/api/schema">/api/schema</a>.</p>
<p>(${why.replace(/[<>&]/g, '')})</p></body></html>
`;

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
}

export const dashboardStatic: FastifyPluginAsync<{ files: DashboardFiles | { missing: string } }> = async (app, { files }) => {
  const page = async (_request: unknown, reply: FastifyReply) => {
    securityHeaders(reply).header('cache-control', 'no-cache');
    if ('missing' in files) return reply.code(503).type('text/html; charset=utf-8').send(MISSING_PAGE(files.missing));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(files.index);
  };
  app.get('/', page);
  app.get('/docs', page);
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = 'missing' in files ? undefined : files.assets.get(request.params.name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return securityHeaders(reply).type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
};
