import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log.ts';
import type { Rejections } from '../core/rejections.ts';
import { isHttps, isLoopback, setAccess } from '../http/access.ts';
import { sendError } from '../http/errors.ts';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue } from './sessions.ts';

export { isLoopback } from '../http/access.ts';

export interface ApiAuthOptions {
  verify: (token: string) => boolean;
  /** the dashboard's sign-in sessions: a valid `steward_session` cookie counts as the admin token */
  sessions?: { verify(id: string): boolean };
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

export const SESSION_PATH = '/api/session';
/** the sign-in itself proves the token in its body; GET and DELETE answer whoever asks */
export const PAIRING_PUBLIC_PATHS = ['/api/pair/start', '/api/pair/finish', SESSION_PATH] as const;
/** what people said (commands, trajectories) and the owner's secrets: the token or a session even on loopback */
export const DEFAULT_PROTECTED_READS = ['/api/audit', '/api/mqtt-credentials', '/api/pairing', '/api/trajectories', '/api/commands'] as const;

/**
 * Whether the session cookie may be set or taken on this request: over HTTPS, or over plain HTTP from this very
 * machine (nothing crosses a network). Never over plain HTTP from elsewhere, where anyone on the path could read it.
 */
export function cookieAllowed(request: FastifyRequest): boolean {
  return isHttps(request.raw) || isLoopback(request.socket.remoteAddress);
}

/** the session id the request's cookie carries, when cookies are allowed on it */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  return cookieAllowed(request) ? cookieValue(request.headers.cookie, SESSION_COOKIE) : undefined;
}

/** the Bearer token of a request, if it sent one */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/**
 * The dashboard's page and bundle (everything outside `/api`): static files with no data in them, so a browser
 * can load the sign-in screen; the data it then asks for goes through `/api` like everything else.
 */
export function isDashboardPage(path: string): boolean {
  return path !== '/api' && !path.startsWith('/api/');
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
    const read = request.method === 'GET' || request.method === 'HEAD';
    const token = bearerToken(request);
    const sessionId = opts.sessions && token === undefined ? sessionIdOf(request) : undefined;
    const bySession = sessionId !== undefined && opts.sessions!.verify(sessionId);
    if (token !== undefined && opts.verify(token)) return setAccess(request.raw, 'token');
    if (bySession) {
      // a cross-site page cannot set a custom header: a change made with the cookie must carry it (the sign-in
      // itself proves the token in its body)
      if (!read && !(request.method === 'POST' && path === SESSION_PATH) && request.headers[CSRF_HEADER] !== '1') {
        return sendError(reply, 'CSRF_REQUIRED', `a change made with the session cookie needs the header X-Steward-CSRF: 1`);
      }
      return setAccess(request.raw, 'session');
    }
    if (publicPaths.has(path) || isDashboardPage(path)) return setAccess(request.raw, 'public');
    const isProtectedRead = protectedReads.some((p) => path === p || path.startsWith(`${p}/`));
    if (read && openReads && !isProtectedRead && isLoopback(request.socket.remoteAddress)) return setAccess(request.raw, 'loopback');

    const source = request.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    if (opts.audit && (lastAudited.get(source) ?? 0) < now - 60_000) {
      lastAudited.set(source, now);
      if (lastAudited.size > 1024) lastAudited.delete(lastAudited.keys().next().value!);
      opts.audit.record({ kind: 'api.unauthorized', source, detail: { method: request.method, path, tokenSent: token !== undefined, sessionSent: sessionId !== undefined } });
    }
    // counted in /api/health; logged once per address and window, not once per request
    if (opts.rejections) opts.rejections.reject('http-request', source, 'API request without a valid admin token', { method: request.method, path });
    else request.log.warn({ source, method: request.method, path }, 'API request without a valid admin token');
    const message =
      token !== undefined
        ? 'the admin token is not valid'
        : sessionId !== undefined
          ? 'the session has ended (expired or signed out): sign in again with POST /api/session'
          : 'this endpoint needs Authorization: Bearer <admin token> (the token is in <data-dir>/admin-token), or a session from POST /api/session';
    await reply.code(401).header('www-authenticate', 'Bearer realm="steward"').send({ error: { code: 'UNAUTHORIZED', message } });
  });
}
