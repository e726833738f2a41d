/**
 * Dashboard sign-in against a real hub (real SQLite, real HTTP and HTTPS listeners): the admin token traded once for
 * an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), accepted wherever the token is, refused for changes
 * without the CSRF header, kept across a hub restart, ended by sign-out, expiry and a token rotation.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cookieClient } from './helpers/dashboard-http.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';

const dataDir = tempDataDir();
const running: { hub?: TestHub } = {};

afterAll(async () => {
  await running.hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const CSRF = { 'x-steward-csrf': '1' };

describe('session sign-in', () => {
  let kept: string | undefined;

  it('trades the admin token for a cookie, accepted wherever the token is; changes need the CSRF header', async () => {
    const t = (running.hub = await startTestHub({ dataDir }));
    const browser = cookieClient(t.hub.httpUrl);

    expect((await browser.request('GET', '/api/session')).body).toEqual({ signedIn: false, role: 'readonly' });
    // the admin token itself counts as signed in
    expect((await t.api.get('/api/session')).body).toEqual({ signedIn: true, role: 'admin' });
    // protected reads and changes are refused without it
    expect((await browser.request('GET', '/api/audit')).status).toBe(401);

    const wrong = await browser.request('POST', '/api/session', { body: { token: 'stw_not-the-token' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } }, setCookies: [] });
    expect((await browser.request('POST', '/api/session', { body: { token: t.token, extra: 1 } })).body.error.code).toBe('BAD_REQUEST');
    expect((await browser.request('POST', '/api/session', { body: '{not json' })).status).toBe(400);

    const signIn = await browser.request('POST', '/api/session', { body: { token: t.token } });
    expect(signIn.status).toBe(204);
    expect(signIn.setCookies).toHaveLength(1);
    const cookie = signIn.setCookies[0]!;
    expect(cookie).toMatch(/^steward_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie.split('; ').slice(1)).toEqual(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${30 * 86_400}`]);
    // plain HTTP on loopback: no Secure (a browser would drop a Secure cookie from http://)
    expect(cookie).not.toMatch(/Secure/);

    expect((await browser.request('GET', '/api/session')).body).toEqual({ signedIn: true, role: 'admin' });
    const audit = await browser.request('GET', '/api/audit?kind=session.signed_in');
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ kind: 'session.signed_in', actor: 'admin', source: '127.0.0.1' });

    // a change with the cookie and without the header: 403, nothing runs
    const noCsrf = await browser.request('POST', '/api/pairing', { body: {} });
    expect(noCsrf).toMatchObject({ status: 403, body: { error: { code: 'CSRF_REQUIRED', message: 'a change made with the session cookie needs the header X-Steward-CSRF: 1' } } });
    expect((await t.api.get('/api/pairing')).body.open).toBe(false);
    const wrongValue = await browser.request('POST', '/api/pairing', { body: {}, headers: { 'x-steward-csrf': 'yes' } });
    expect(wrongValue.body.error.code).toBe('CSRF_REQUIRED');
    const withCsrf = await browser.request('POST', '/api/pairing', { body: {}, headers: CSRF });
    expect(withCsrf.status).toBe(200);
    expect((await t.api.get('/api/pairing')).body.open).toBe(true);
    // the bearer token needs no header (it is never sent by a browser on its own)
    expect((await t.api.delete('/api/pairing')).status).toBe(200);

    // described in the OpenAPI document: public, the body from its zod schema, 204 without a body
    const doc = (await t.anon.get('/api/schema')).body;
    const post = doc.paths['/api/session'].post;
    expect(post.security).toEqual([]);
    expect(post.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', properties: { token: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['token'], additionalProperties: false });
    expect(Object.keys(post.responses).sort()).toEqual(['204', '400', '401', '403']);
    expect(doc.paths['/api/session'].get.responses['200'].content['application/json'].schema.properties.role).toEqual({ type: 'string', enum: ['admin', 'readonly'] });

    // signing in again replaces the browser's session: one row, the old id dead
    const before = browser.session();
    expect((await browser.request('POST', '/api/session', { body: { token: t.token } })).status).toBe(204);
    expect(browser.session()).not.toBe(before);
    expect(t.hub.feature('store').db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    const stale = cookieClient(t.hub.httpUrl);
    stale.setSession(before);
    expect((await stale.request('GET', '/api/session')).body.signedIn).toBe(false);

    kept = browser.session();
    await t.stop();
  });

  it('survives a hub restart (SQLite keeps only its hash); sign-out ends it', async () => {
    const t = (running.hub = await startTestHub({ dataDir }));
    const browser = cookieClient(t.hub.httpUrl);
    browser.setSession(kept);
    expect((await browser.request('GET', '/api/session')).body).toEqual({ signedIn: true, role: 'admin' });
    expect((await browser.request('GET', '/api/audit?limit=1')).status).toBe(200);
    const db = t.hub.feature('store').db;
    const rows = db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.id_hash).not.toContain(kept!);

    // sign-out is a change: the header too
    expect((await browser.request('DELETE', '/api/session')).body.error.code).toBe('CSRF_REQUIRED');
    const out = await browser.request('DELETE', '/api/session', { headers: CSRF });
    expect(out.status).toBe(204);
    expect(out.setCookies[0]).toMatch(/^steward_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
    expect(browser.session()).toBeUndefined();
    // the old cookie, replayed, is dead
    browser.setSession(kept);
    const replay = await browser.request('GET', '/api/audit');
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'the session has ended (expired or signed out): sign in again with POST /api/session' } } });
    expect((await browser.request('GET', '/api/session')).body).toEqual({ signedIn: false, role: 'readonly' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    await t.stop();
  });

  it('expires after its time; a rotated admin token signs every browser out', async () => {
    const t = (running.hub = await startTestHub({ dataDir, security: { sessionTtlMs: 1500 } }));
    const browser = cookieClient(t.hub.httpUrl);
    const signIn = await browser.request('POST', '/api/session', { body: { token: t.token } });
    expect(signIn.setCookies[0]).toMatch(/; Max-Age=1$/);
    expect((await browser.request('GET', '/api/audit?limit=1')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await browser.request('GET', '/api/audit?limit=1')).status).toBe(401);
    expect((await browser.request('GET', '/api/session')).body.signedIn).toBe(false);

    // a fresh one, then the token changes
    const again = cookieClient(t.hub.httpUrl);
    await again.request('POST', '/api/session', { body: { token: t.token } });
    expect((await again.request('GET', '/api/session')).body.signedIn).toBe(true);
    t.hub.security.adminTokens.rotate();
    expect((await again.request('GET', '/api/session')).body.signedIn).toBe(false);
    expect((await again.request('GET', '/api/audit?limit=1')).status).toBe(401);
    await t.stop();
  });

  it('over the HTTPS listener: the same API, the cookie marked Secure', async () => {
    const t = (running.hub = await startTestHub({ dataDir }));
    const ca = t.hub.security.certificate.certPem;
    const browser = cookieClient(t.hub.httpsUrl!, { ca });
    // the pairing exchange stays where it was (no window is open)
    expect((await browser.request('POST', '/api/pair/start', { body: {} })).body.error.code).toBe('CONFLICT');
    const signIn = await browser.request('POST', '/api/session', { body: { token: t.token } });
    expect(signIn.status).toBe(204);
    expect(signIn.setCookies[0]).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Max-Age=2592000; Secure$/);
    expect((await browser.request('GET', '/api/session')).body).toEqual({ signedIn: true, role: 'admin' });
    const devices = await browser.request('GET', '/api/devices');
    expect(devices.status).toBe(200);
    expect(devices.body.devices.map((d: { id: string }) => d.id)).toEqual((await t.api.get('/api/devices')).body.devices.map((d: { id: string }) => d.id));
    expect((await browser.request('POST', '/api/command', { body: { text: 'hello' } })).body.error.code).toBe('CSRF_REQUIRED');
    const said = await browser.request('POST', '/api/command', { body: { text: 'hello' }, headers: CSRF });
    expect(said.status).toBe(200);
    expect(typeof said.body.reply).toBe('string');
    await t.stop();
  });
});
