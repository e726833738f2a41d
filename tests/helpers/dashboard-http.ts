/**
 * A browser-like HTTP client for the dashboard's API: it keeps the session cookie the hub sets (as a browser's cookie
 * jar would for the hub's origin) and speaks plain HTTP to loopback or HTTPS pinned to the hub's certificate.
 */
import { request as httpsRequest } from 'node:https';

export interface CookieResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /** the Set-Cookie headers of this response */
  setCookies: string[];
}

export interface CookieClient {
  request(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<CookieResponse>;
  /** the session cookie's value now held (undefined: none) */
  session(): string | undefined;
  setSession(value: string | undefined): void;
}

function parseBody(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

/** applies Set-Cookie headers to the jar the way a browser does for steward_session (Max-Age=0 deletes it) */
function applyCookies(jar: { value: string | undefined }, setCookies: string[]): void {
  for (const c of setCookies) {
    const m = /^steward_session=([^;]*)/.exec(c);
    if (!m) continue;
    const maxAge = /Max-Age=(\d+)/i.exec(c);
    jar.value = m[1] === '' || (maxAge && Number(maxAge[1]) === 0) ? undefined : m[1];
  }
}

/**
 * `baseUrl` http://127.0.0.1:P or https://HOST:P. Over HTTPS the hub's certificate is the only one trusted (its
 * name is not checked: tests reach it by address).
 */
export function cookieClient(baseUrl: string, opts: { ca?: string } = {}): CookieClient {
  const jar: { value: string | undefined } = { value: undefined };
  const https = baseUrl.startsWith('https:');

  async function send(method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}): Promise<CookieResponse> {
    const headers: Record<string, string> = { ...(jar.value !== undefined ? { cookie: `steward_session=${jar.value}` } : {}), ...o.headers };
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    let res: CookieResponse;
    if (!https) {
      const r = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
      const setCookies = r.headers.getSetCookie();
      res = { status: r.status, headers: Object.fromEntries(r.headers), body: parseBody(await r.text()), setCookies };
    } else {
      res = await new Promise<CookieResponse>((resolve, reject) => {
        const req = httpsRequest(
          `${baseUrl}${path}`,
          { method, headers, ...(opts.ca ? { ca: opts.ca } : {}), checkServerIdentity: () => undefined },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => {
              const sc = r.headers['set-cookie'] ?? [];
              resolve({ status: r.statusCode ?? 0, headers: r.headers, body: parseBody(Buffer.concat(chunks).toString('utf8')), setCookies: sc });
            });
            r.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }
    applyCookies(jar, res.setCookies);
    return res;
  }

  return { request: send, session: () => jar.value, setSession: (v) => (jar.value = v) };
}
