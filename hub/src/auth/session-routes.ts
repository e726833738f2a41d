import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { StewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { accessOf, isHttps } from '../http/access.ts';
import { parseOrThrow, stewardErrorHandler } from '../http/errors.ts';
import { cookieAllowed, sessionIdOf } from './api-auth.ts';
import type { AuditLog } from './audit-log.ts';
import { clearedSessionCookie, sessionCookie, type SessionStore } from './sessions.ts';

export const SignInSchema = z.object({ token: z.string().min(1).max(200) }).strict();
export const SessionInfoSchema = z.object({
  /** the request carries the session cookie (or the admin token) */
  signedIn: z.boolean(),
  /** `readonly`: not signed in; reads are open only from the hub's own machine */
  role: z.enum(['admin', 'readonly']),
});

export const SESSION_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/session',
    summary:
      'Sign a browser in with the admin token: 204 and the cookie steward_session (HttpOnly, SameSite=Strict, Secure over HTTPS). Over plain HTTP only from the hub itself (403 HTTPS_REQUIRED otherwise)',
    body: SignInSchema,
    response: z.null(),
    answer: 'no-content',
    errors: [400, 401, 403],
    auth: 'public',
  },
  { method: 'get', path: '/api/session', summary: 'Whether this browser is signed in, and its role', response: SessionInfoSchema, errors: [], auth: 'public' },
  { method: 'delete', path: '/api/session', summary: 'Sign out: the session ends and its cookie is cleared (needs X-Steward-CSRF: 1 with the cookie)', response: z.null(), answer: 'no-content', errors: [403], auth: 'public' },
];

export interface SessionRoutesDeps {
  sessions: SessionStore;
  verifyToken: (token: string) => boolean;
  audit: AuditLog;
  /** where the dashboard is served over HTTPS, for the message of a refused plain-HTTP sign-in */
  httpsUrl?: () => string | undefined;
}

/** POST, GET and DELETE /api/session under `/api` (public paths: the sign-in proves the token in its body). */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesDeps> = async (app, deps) => {
  app.setErrorHandler((error: FastifyError, request, reply) => stewardErrorHandler(error, reply, request.log));
  // one audit entry per address per minute for wrong tokens: a guesser must not fill the disk
  const lastAudited = new Map<string, number>();

  app.post('/session', async (request, reply) => {
    if (!cookieAllowed(request)) {
      const https = deps.httpsUrl?.();
      throw new StewardError('HTTPS_REQUIRED', `sign in over HTTPS${https ? ` (${https})` : ''}: the session cookie is never sent over plain HTTP beyond this machine`);
    }
    const { token } = parseOrThrow(SignInSchema, request.body);
    const source = request.socket.remoteAddress ?? 'unknown';
    if (!deps.verifyToken(token)) {
      const now = Date.now();
      if ((lastAudited.get(source) ?? 0) < now - 60_000) {
        lastAudited.set(source, now);
        if (lastAudited.size > 1024) lastAudited.delete(lastAudited.keys().next().value!);
        deps.audit.record({ kind: 'api.unauthorized', source, detail: { method: 'POST', path: '/api/session', signIn: true } });
      }
      throw new StewardError('UNAUTHORIZED', 'the admin token is not valid (it is in <data-dir>/admin-token)');
    }
    // signing in again replaces this browser's session: the old id stops working
    const previous = sessionIdOf(request);
    if (previous !== undefined) deps.sessions.revoke(previous);
    const session = deps.sessions.create(source);
    deps.audit.record({ kind: 'session.signed_in', actor: 'admin', source });
    request.log.info({ source }, 'browser signed in');
    return reply.code(204).header('set-cookie', sessionCookie(session.id, deps.sessions.ttlMs, isHttps(request.raw))).send();
  });

  app.get('/session', async (request) => {
    const access = accessOf(request.raw);
    const signedIn = access === 'session' || access === 'token';
    return SessionInfoSchema.parse({ signedIn, role: signedIn ? 'admin' : 'readonly' });
  });

  app.delete('/session', async (request, reply) => {
    const id = sessionIdOf(request);
    if (id !== undefined && deps.sessions.revoke(id)) deps.audit.record({ kind: 'session.signed_out', actor: 'admin', source: request.socket.remoteAddress ?? 'unknown' });
    return reply.code(204).header('set-cookie', clearedSessionCookie(isHttps(request.raw))).send();
  });
};
