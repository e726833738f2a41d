import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log.ts';
import type { Rejections } from '../core/rejections.ts';

export interface ApiAuthOptions {
  verify: (token: string) => boolean;
  /** GET and HEAD need no token from 127.0.0.0/8 or ::1 (the owner's own machine); default true */
  openReadsOnLoopback?: boolean;
  /** paths that never need a token: the agents' pairing exchange, which proves itself with the code */
  publicPaths?: readonly string[];
  /** GET paths (prefixes) that always need a token even on loopback: audit log, credentials */
  protectedReads?: readonly string[];
  audit?: AuditLog;
  /** counts refused requests and rate-limits their log */
  rejections?: Rejections;
}

export const PAIRING_PUBLIC_PATHS = ['/api/pair/start', '/api/pair/finish'] as const;
export const DEFAULT_PROTECTED_READS = ['/api/audit', '/api/mqtt-credentials', '/api/pairing', '/api/trajectories'] as const;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** the Bearer token of a request, if it sent one */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/**
 * Requires `Authorization: Bearer <admin token>` on every mutating request (and on reads from other machines).
 * Call on the root instance before the routes are registered: an onRequest hook runs before body parsing, so an
 * unauthenticated client cannot even make the hub parse its body.
 */
export function installApiAuth(app: FastifyInstance, opts: ApiAuthOptions): void {
  const publicPaths = new Set(opts.publicPaths ?? PAIRING_PUBLIC_PATHS);
  const protectedReads = opts.protectedReads ?? DEFAULT_PROTECTED_READS;
  const openReads = opts.openReadsOnLoopback ?? true;
  // one audit entry per source per minute: a scanner must not fill the disk
  const lastAudited = new Map<string, number>();

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (publicPaths.has(path)) return;
    const read = request.method === 'GET' || request.method === 'HEAD';
    const isProtectedRead = protectedReads.some((p) => path === p || path.startsWith(`${p}/`));
    if (read && openReads && !isProtectedRead && isLoopback(request.socket.remoteAddress)) return;
    const token = bearerToken(request);
    if (token !== undefined && opts.verify(token)) return;

    const source = request.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    if (opts.audit && (lastAudited.get(source) ?? 0) < now - 60_000) {
      lastAudited.set(source, now);
      if (lastAudited.size > 1024) lastAudited.delete(lastAudited.keys().next().value!);
      opts.audit.record({ kind: 'api.unauthorized', source, detail: { method: request.method, path, tokenSent: token !== undefined } });
    }
    // counted in /api/health; logged once per address and window, not once per request
    if (opts.rejections) opts.rejections.reject('http-request', source, 'API request without a valid admin token', { method: request.method, path });
    else request.log.warn({ source, method: request.method, path }, 'API request without a valid admin token');
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="steward"')
      .send({
        error: {
          code: 'UNAUTHORIZED',
          message: token === undefined ? 'this endpoint needs Authorization: Bearer <admin token> (the token is in <data-dir>/admin-token)' : 'the admin token is not valid',
        },
      });
  });
}
