/**
 * The HTTPS-only rule for the dashboard when the hub's HTTP listener is beyond loopback, with a real network between
 * browser and hub: two network namespaces joined by a veth pair, the whole hub in one (its HTTP API on the veth
 * address, HTTPS on the veth interface), curl in the other. Plain HTTP redirects pages to HTTPS and never sets or
 * takes the session cookie; over HTTPS sign-in works and the cookie is Secure. Skipped only when not root or
 * without `ip netns`. Nothing leaves the namespaces.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespacePair, netnsUnavailable, startInNamespace, type NamespacePair } from './helpers/netns.ts';
import { stopAllProcesses, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const HUB_SCRIPT = join(ROOT, 'tests', 'helpers', 'dashboard-hub-process.ts');
const unavailable = netnsUnavailable();
if (unavailable) console.warn(`dashboard-api-https-only: skipped: ${unavailable}`);
const run = promisify(execFile);

interface CurlResult {
  status: number;
  headers: Record<string, string[]>;
  body: any;
}

describe.skipIf(unavailable !== undefined)('the dashboard beyond loopback is HTTPS only', () => {
  let ns: NamespacePair;
  let hub: ManagedProcess;
  let dataDir: string;
  let httpUrl: string;
  let httpsUrl: string;
  let token: string;

  /** curl from the other namespace (a browser on another machine); the hub's certificate pinned as the only CA */
  async function curl(method: string, url: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<CurlResult> {
    const args = ['netns', 'exec', ns.agentNs, 'curl', '-s', '-i', '--max-time', '10', '--cacert', join(dataDir, 'hub-cert.pem'), '-X', method];
    for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
    if (opts.body !== undefined) args.push('-H', 'content-type: application/json', '--data', JSON.stringify(opts.body));
    args.push(url);
    const { stdout } = await run('ip', args, { timeout: 15_000 });
    const [head, ...rest] = stdout.split('\r\n\r\n');
    const lines = head!.split('\r\n');
    const headers: Record<string, string[]> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      (headers[l.slice(0, i).toLowerCase()] ??= []).push(l.slice(i + 1).trim());
    }
    const text = rest.join('\r\n\r\n');
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: Number(lines[0]!.split(' ')[1]), headers, body };
  }

  beforeAll(async () => {
    ns = createNamespacePair();
    dataDir = mkdtempSync(join(tmpdir(), 'stw-dash-netns-'));
    hub = startInNamespace(ns.hubNs, process.execPath, ['--conditions=source', '--import', 'tsx', HUB_SCRIPT, '--data-dir', dataDir, '--http-host', ns.hubIp, '--interface', ns.hubIf], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const ready = await waitUntil(
      () => hub.stdout.map((l) => (l.startsWith('{') ? JSON.parse(l) : undefined)).find((e) => e?.event === 'ready'),
      'the hub process to be ready (its stderr is in hub.stderr)',
      60_000,
    );
    ({ httpUrl, httpsUrl } = ready);
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  }, 90_000);

  afterAll(async () => {
    if (hub) {
      hub.child.stdin?.end();
      await hub.stop();
    }
    await stopAllProcesses();
    ns?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('listens on the veth address, plain and TLS', () => {
    expect(httpUrl).toMatch(/^http:\/\/10\.200\.0\.1:\d+$/);
    expect(httpsUrl).toMatch(/^https:\/\/10\.200\.0\.1:\d+$/);
  });

  it('plain HTTP: pages redirect to the HTTPS listener, the cookie is never set nor taken', async () => {
    const httpsPort = new URL(httpsUrl).port;
    const page = await curl('GET', `${httpUrl}/`);
    expect(page.status).toBe(308);
    expect(page.headers.location).toEqual([`https://10.200.0.1:${httpsPort}/`]);
    const deep = await curl('GET', `${httpUrl}/docs?x=1`);
    expect(deep.headers.location).toEqual([`https://10.200.0.1:${httpsPort}/docs?x=1`]);

    const signIn = await curl('POST', `${httpUrl}/api/session`, { body: { token } });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe('HTTPS_REQUIRED');
    expect(signIn.body.error.message).toContain(httpsUrl);
    expect(signIn.headers['set-cookie']).toBeUndefined();

    // scripts keep the bearer token over plain HTTP, as before
    const withToken = await curl('GET', `${httpUrl}/api/audit?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect((await curl('GET', `${httpUrl}/api/devices`)).status).toBe(401);
  });

  it('HTTPS: sign-in sets a Secure cookie that works there, and only there', async () => {
    const signIn = await curl('POST', `${httpsUrl}/api/session`, { body: { token } });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^steward_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=2592000; Secure$/);
    const session = cookie.split(';')[0]!;

    expect((await curl('GET', `${httpsUrl}/api/session`, { headers: { cookie: session } })).body).toEqual({ signedIn: true, role: 'admin' });
    expect((await curl('GET', `${httpsUrl}/api/devices`, { headers: { cookie: session } })).status).toBe(200);
    expect((await curl('GET', `${httpsUrl}/api/devices`)).status).toBe(401);
    // the same cookie over plain HTTP (a browser would not send it; anyone on the path could have read it) is ignored
    expect((await curl('GET', `${httpUrl}/api/devices`, { headers: { cookie: session } })).status).toBe(401);
    expect((await curl('GET', `${httpUrl}/api/session`, { headers: { cookie: session } })).body).toEqual({ signedIn: false, role: 'readonly' });
    // pages are not redirected on the HTTPS listener
    expect((await curl('GET', `${httpsUrl}/`, { headers: { cookie: session } })).status).not.toBe(308);
  });
});
