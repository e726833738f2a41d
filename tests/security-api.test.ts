/**
 * The authenticated API with real parts: the admin token made on first start (file 0600, only its hash in the real
 * SQLite file), the bearer-auth hook and the security routes on a real fastify server on loopback next to the
 * hub's own /api/nodes route, and MQTT credentials created through the API used on a real aedes broker.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@steward/hub/store/database.ts';
import { RegistryStore } from '@steward/hub/store/registry-store.ts';
import { StateStore } from '@steward/hub/store/state-store.ts';
import { Registry } from '@steward/hub/registry/registry.ts';
import { nodeRoutes } from '@steward/hub/api/routes/nodes.ts';
import { AdminTokens } from '@steward/hub/auth/admin-token.ts';
import { ensureHubCertificate } from '@steward/hub/tls/certificate.ts';
import { formatPairingWindow, requestPairingWindow, requestRevocation } from '@steward/hub/pairing/cli-commands.ts';
import { createHubSecurity, type HubSecurity } from '@steward/hub/pairing/hub-security.ts';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { benchmarkHome } from './helpers/agents.ts';
import { waitUntil } from './helpers/wait.ts';

describe('admin token, bearer auth and the security endpoints', () => {
  let dir: string;
  let db: Db;
  let security: HubSecurity;
  let app: FastifyInstance;
  let base: string;
  let token: string;
  let broker: TestBroker;

  const call = (method: string, path: string, opts: { token?: string; body?: unknown } = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any, auth: r.headers.get('www-authenticate') }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stw-api-'));
    db = openDatabase(dir);
    const store = new RegistryStore(db);
    store.seedFromHome(benchmarkHome());
    const registry = new Registry(store, new StateStore(db), pino({ level: 'silent' }));
    security = await createHubSecurity({ dataDir: dir, db, logger: pino({ level: 'silent' }), devices: (id) => registry.device(id) });
    token = security.adminToken.created!;
    broker = await startAedes({ options: security.brokerHooks });
    app = Fastify();
    await security.registerAdminApi(app);
    await app.register(nodeRoutes, { prefix: '/api', registry, mqttStats: () => ({ connected: false, accepted: 0, dropped: 0 }) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await broker?.stop();
    await security?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the admin token on first start: file 0600, only a hash in the database, printed once', () => {
    expect(token).toMatch(/^stw_[A-Za-z0-9_-]{43}$/);
    expect(security.adminToken.file).toBe(join(dir, 'admin-token'));
    expect(readFileSync(security.adminToken.file, 'utf8').trim()).toBe(token);
    expect(statSync(security.adminToken.file).mode & 0o777).toBe(0o600);
    const row = db.prepare('SELECT token_hash FROM admin_token').get() as { token_hash: string };
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token.slice(4));
    // a second start finds it: nothing to print
    expect(new AdminTokens(db, dir).ensure()).toEqual({ file: security.adminToken.file });
  });

  it('made the TLS certificate with openssl on first start, key 0600, and reuses it', async () => {
    const cert = security.certificate;
    expect(statSync(cert.keyFile).mode & 0o777).toBe(0o600);
    // the fingerprint agents pin is the one openssl computes over the same DER
    const openssl = execFileSync('openssl', ['x509', '-in', cert.certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(openssl.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint);
    expect(cert.hubId).toMatch(/^h-[a-z2-7]{16}$/);
    const again = await ensureHubCertificate(dir, { logger: pino({ level: 'silent' }) });
    expect(again).toMatchObject({ created: false, fingerprint: cert.fingerprint, hubId: cert.hubId });
  });

  it('requires the bearer token on mutating endpoints; read-only ones stay open on loopback only', async () => {
    const anon = await call('POST', '/api/pairing', { body: {} });
    expect(anon.status).toBe(401);
    expect(anon.auth).toMatch(/^Bearer/);
    expect(anon.body.error.code).toBe('UNAUTHORIZED');
    expect((await call('POST', '/api/pairing', { token: `${token}x`, body: {} })).status).toBe(401);

    const opened = await call('POST', '/api/pairing', { token, body: {} });
    expect(opened.status).toBe(200);
    expect(opened.body.code).toMatch(/^\d{8}$/);
    expect(opened.body.qr).toMatch(new RegExp(`^steward://pair\\?hub=${security.hubId}&host=127\\.0\\.0\\.1&port=\\d+&fp=${security.certificate.fingerprint}&code=${opened.body.code}$`));
    expect(Date.parse(opened.body.expiresAt)).toBeGreaterThan(Date.now());

    expect((await call('GET', '/api/nodes')).status).toBe(200);
    // the same read from another machine needs the token
    const remote = await app.inject({ method: 'GET', url: '/api/nodes', remoteAddress: '192.0.2.7' });
    expect(remote.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/nodes', remoteAddress: '192.0.2.7', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    // sensitive reads need it even on loopback
    expect((await call('GET', '/api/audit')).status).toBe(401);
    expect((await call('GET', '/api/pairing')).status).toBe(401);

    const audit = await call('GET', '/api/audit?limit=50', { token });
    const kinds = (audit.body.entries as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['admin_token.created', 'pairing.window_opened', 'api.unauthorized']));
    expect(JSON.stringify(audit.body)).not.toContain(opened.body.code);

    const closed = await call('DELETE', '/api/pairing', { token });
    expect(closed.body).toMatchObject({ open: false, lastClosed: { reason: 'closed_by_owner' } });
  });

  it('creates controller credentials through the API; deleting them ends the live session', async () => {
    const bad = await call('POST', '/api/mqtt-credentials', { token, body: { role: 'node', username: 'x' } });
    expect(bad.status).toBe(400);
    const made = await call('POST', '/api/mqtt-credentials', { token, body: { role: 'controller', username: 'openhab' } });
    expect(made.status).toBe(200);
    const listed = await call('GET', '/api/mqtt-credentials', { token });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.password);

    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: 'openhab-1', reconnectPeriod: 0, username: 'openhab', password: made.body.password });
    expect((await client.subscribeAsync('homie/5/#', { qos: 1 }))[0]!.qos).toBe(1);
    const deleted = await call('DELETE', '/api/mqtt-credentials/openhab', { token });
    expect(deleted.body).toEqual({ deleted: 'openhab', sessionsClosed: 1 });
    await waitUntil(() => !client.connected, 'the controller session to be closed', 5000);
    await client.endAsync(true);
    expect(security.audit.list({ kind: 'credentials.deleted' })[0]).toMatchObject({ subject: 'openhab', detail: { role: 'controller', sessionsClosed: 1 } });
  });

  it('serves the CLI helpers with the token file; answers revocation of an unknown node with 404; a rotated token replaces the old one', async () => {
    const w = await requestPairingWindow({ httpUrl: base, dataDir: dir, windowMs: 120_000 });
    expect(formatPairingWindow(w)).toContain(`steward-agent pair --code ${w.code} `);
    await expect(requestRevocation({ httpUrl: base, dataDir: dir, nodeId: 'no-such-node' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const r = await call('POST', '/api/nodes/no-such-node/revoke', { token });
    expect(r.status).toBe(404);
    const fresh = security.adminTokens.rotate('test');
    expect((await call('GET', '/api/audit', { token })).status).toBe(401);
    expect((await call('GET', '/api/audit', { token: fresh })).status).toBe(200);
    expect(readFileSync(security.adminToken.file, 'utf8').trim()).toBe(fresh);
  });
});
