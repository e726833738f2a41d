import type { FastifyInstance } from 'fastify';
import { isHttps, isLoopback } from '../http/access.ts';
import { sendError } from '../http/errors.ts';

/**
 * When the plain HTTP listener is reachable from the network, the dashboard (every page outside `/api`) is served
 * over HTTPS only: a browser elsewhere is redirected to the same path on the HTTPS listener (`--https-port`), or
 * refused when the hub has none reachable (no `--mdns-interface`). The API keeps answering bearer tokens as
 * before; the session cookie is refused there by `cookieAllowed`. The hub's own machine keeps plain HTTP.
 */
export function installHttpsOnlyDashboard(app: FastifyInstance, httpsPort: () => number | undefined): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isHttps(request.raw) || isLoopback(request.socket.remoteAddress)) return;
    const path = request.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/')) return;
    const port = httpsPort();
    if (port === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return sendError(reply, 'HTTPS_REQUIRED', 'the dashboard is served over HTTPS only beyond this machine; start the hub with --mdns-interface IF to serve it on the LAN');
    }
    // the name the browser used, with the HTTPS listener's port
    let host = request.socket.localAddress ?? '127.0.0.1';
    try {
      host = new URL(`http://${request.headers.host ?? ''}`).hostname || host;
    } catch {
      // a Host header that is no host: the address the request came in on
    }
    if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
    return reply.redirect(`https://${host}:${port}${request.url}`, 308);
  });
}
