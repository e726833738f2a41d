import https from 'node:https';
import net from 'node:net';
import type { Prng } from './prng.ts';
import { VALUE_KINDS, hostile, hostileString } from './values.ts';

export interface Route {
  method: string;
  path: string;
}

/** the routes the hub documents at GET /api/schema (OpenAPI 3) */
export async function documentedRoutes(httpUrl: string): Promise<Route[]> {
  const doc = (await (await fetch(`${httpUrl}/api/schema`)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}

const SAMPLE_BODY = { text: 'turn on the living room light', conversationId: 'c1', command: 'turnOn', params: {}, username: 'fuzzer', role: 'controller', name: 'x', area: 'kitchen', answer: 'yes' };
const PAIR_BODY = { code: '12345678', nodeId: 'fuzz-node', publicKey: 'AAAA', nonce: 'n', proof: 'p', sessionId: 's', agent: { name: 'x', version: '1' } };
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', ''];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/**
 * Hostile HTTP: bodies, headers, query strings and paths on every documented route, with the admin token, a wrong
 * one or none; raw requests that break HTTP/1.1; and the agents' pairing exchange on the HTTPS listener.
 */
export class HttpSurface {
  private readonly tls = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: 8 });

  constructor(
    private readonly opts: { httpUrl: string; httpsUrl: string; token: string; routes: Route[] },
  ) {}

  private path(p: Prng, template: string): string {
    let path = template.replace(/\{[^}]+\}/g, () => (p.chance(0.8) ? hostileString(p) : 'living_room_light_x'));
    if (p.chance(0.3)) path += `?${hostileString(p)}=${hostileString(p)}&limit=${p.pick(['-1', 'abc', '1e9', '', '[]'])}&kind[]=1`;
    if (p.chance(0.05)) path = path.replace('/api/', p.pick(['/api//', '/api/../', '/API/', '/api/%2e%2e/']));
    return path;
  }

  private headers(p: Prng): Record<string, string> {
    const h: Record<string, string> = {};
    const auth = p.pick(['token', 'token', 'none', 'wrong', 'garbage']);
    if (auth === 'token') h.authorization = `Bearer ${this.opts.token}`;
    if (auth === 'wrong') h.authorization = `Bearer ${'0'.repeat(this.opts.token.length)}`;
    if (auth === 'garbage') h.authorization = p.pick(['Bearer', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(p.int(1, 8000))}`, 'bearer  ']);
    const ct = p.pick(CONTENT_TYPES);
    if (ct) h['content-type'] = ct;
    if (p.chance(0.2)) h['x-forwarded-for'] = p.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
    if (p.chance(0.1)) h['accept-encoding'] = p.pick(['gzip', 'br', 'x'.repeat(2000)]);
    if (p.chance(0.1)) h[`x-${p.int(0, 1000)}`] = 'y'.repeat(p.int(0, 6000));
    return h;
  }

  async send(p: Prng): Promise<string> {
    const r = p.next();
    if (r < 0.15) return this.raw(p);
    if (r < 0.3) return this.pairing(p);
    const route = p.pick(this.opts.routes);
    const method = p.chance(0.85) ? route.method : p.pick(METHODS);
    const kind = p.pick(VALUE_KINDS);
    const body = method === 'GET' || method === 'HEAD' ? undefined : hostile(p, kind, SAMPLE_BODY, 2 * 1024 * 1024);
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), 15_000);
    try {
      const res = await fetch(`${this.opts.httpUrl}${this.path(p, route.path)}`, { method, headers: this.headers(p), ...(body ? { body: new Uint8Array(body) } : {}), signal: ctl.signal });
      // an event stream (GET /api/events) never ends: its headers are the answer
      if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        ctl.abort();
        return `http ${method} ${route.path} event-stream`;
      }
      await res.arrayBuffer();
      if (res.status >= 500) return `http 5xx ${res.status} ${method} ${route.path} ${kind}`;
    } catch (e) {
      // a client-side refusal (fetch will not send some header values) is not the hub's answer
      if ((e as Error).name === 'AbortError') return `http timeout ${method} ${route.path}`;
    } finally {
      clearTimeout(t);
    }
    return `http ${method} ${route.path} ${kind}`;
  }

  private raw(p: Prng): Promise<string> {
    const url = new URL(this.opts.httpUrl);
    const [what, req] = p.pick<() => [string, string | Buffer]>([
      () => ['bad-request-line', `${p.pick(['GET', 'FOO', ''])} ${p.pick(['/api/health', '*', '//', 'http://x/'])} HTTP/${p.pick(['1.1', '9.9', 'x'])}\r\n\r\n`],
      () => ['huge-header', `GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(p.int(10_000, 100_000))}\r\n\r\n`],
      () => ['crlf-in-header', `GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\nc\r\n\r\n`],
      () => ['bad-chunked', `POST /api/command HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
      () => ['length-lies', `POST /api/command HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${p.int(100, 10_000_000)}\r\n\r\n{"text":`],
      () => ['both-lengths', `POST /api/command HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
      () => ['traversal', `GET ${p.pick(['/../../../etc/passwd', '/api/devices/..%2f..%2f', '/api/%00', '/%ff%fe'])} HTTP/1.1\r\nHost: x\r\n\r\n`],
      () => ['random', p.bytes(p.int(1, 2048))],
    ])();
    return new Promise((resolve) => {
      const s = net.connect(Number(url.port), '127.0.0.1');
      const done = () => {
        clearTimeout(t);
        s.destroy();
        resolve(`http-raw ${what}`);
      };
      const t = setTimeout(done, 1000);
      s.on('error', done);
      s.on('close', done);
      s.on('data', done);
      s.on('connect', () => s.write(req));
    });
  }

  private pairing(p: Prng): Promise<string> {
    const path = p.pick(['/api/pair/start', '/api/pair/finish', '/api/pair/start', '/api/pair/x', `/api/pair/${hostileString(p)}`]);
    const kind = p.pick(VALUE_KINDS);
    const body = hostile(p, kind, PAIR_BODY, 256 * 1024);
    const url = new URL(path, this.opts.httpsUrl);
    return new Promise((resolve) => {
      const req = https.request(url, { method: p.chance(0.9) ? 'POST' : p.pick(METHODS), agent: this.tls, headers: { 'content-type': p.pick(CONTENT_TYPES) || 'application/json' }, timeout: 15_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode && res.statusCode >= 500 ? `pairing 5xx ${res.statusCode} ${path} ${kind}` : `pairing ${kind}`));
        res.on('error', () => resolve(`pairing ${kind}`));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(`pairing ${kind}`));
      req.end(body);
    });
  }

  close(): void {
    this.tls.destroy();
  }
}
