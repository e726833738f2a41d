/**
 * The security layer as the hub runs it (createHub, always on), with real parts on loopback: the embedded broker
 * refuses anonymous and wrong-password clients; the demo's simulated nodes run on provisioned per-node credentials;
 * every mutating API call needs the admin token while read-only GETs stay open on loopback; POST /api/pairing opens
 * a window; sensitive commands (an unlock confirmed in a conversation or through the API) are in the audit log; revocation through the
 * API takes a demo node off the broker for good.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['living-room-gateway', 'hallway-gateway']);
let t: TestHub;
let nodes: NodeReports;
let demoCredentials: Record<string, { username: string; password: string }>;

const mqttRefusal = (opts: Record<string, unknown>) =>
  connectAsync(t.hub.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts }).then(
    async (c) => {
      await c.endAsync(true);
      return undefined;
    },
    (e: { code?: number }) => e,
  );

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true });
  nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
  demoCredentials = JSON.parse(readFileSync(join(t.dataDir, 'demo-credentials.json'), 'utf8'));
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

describe('the embedded broker of createHub', () => {
  it('refuses clients without credentials and with a wrong password', async () => {
    expect(await mqttRefusal({ clientId: 'anonymous-1' })).toMatchObject({ code: 5 });
    expect(await mqttRefusal({ clientId: 'guess-1', username: 'living-room-gateway', password: 'not-the-password-at-all' })).toMatchObject({ code: 4 });
    expect(await mqttRefusal({ clientId: 'guess-2', username: 'steward-hub', password: 'not-the-password-at-all' })).toMatchObject({ code: 4 });
  });

  it('runs the demo nodes on per-node credentials from a 0600 file, not marked as paired', async () => {
    const file = join(t.dataDir, 'demo-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(demoCredentials).sort()).toEqual(['hallway-gateway', 'living-room-gateway']);
    // one password per node, none shared
    expect(demoCredentials['hallway-gateway']!.password).not.toBe(demoCredentials['living-room-gateway']!.password);
    expect(t.hub.security.credentials.get('hallway-gateway')).toMatchObject({ role: 'node', source: 'demo', nodeId: 'hallway-gateway' });
    const listed = (await t.anon.get('/api/nodes')).body.nodes;
    expect(listed).toEqual([
      expect.objectContaining({ id: 'living-room-gateway', online: true, paired: false }),
      expect.objectContaining({ id: 'hallway-gateway', online: true, paired: false }),
    ]);
    // the node's own report, read by an independent client with admin credentials made through the API
    expect(nodes.nodeState('hallway-gateway')).toBe('ready');
  });
});

describe('the authenticated API', () => {
  const mutating: [string, string, unknown][] = [
    ['POST', '/api/command', { text: 'turn on the living room light' }],
    ['POST', '/api/devices/living_room_light/commands', { command: 'turnOn' }],
    ['PATCH', '/api/devices/living_room_light', { names: { en: ['stolen lamp'] } }],
    ['POST', '/api/pairing', {}],
    ['DELETE', '/api/pairing', undefined],
    ['POST', '/api/nodes/hallway-gateway/revoke', undefined],
    ['POST', '/api/mqtt-credentials', { role: 'admin', username: 'intruder' }],
  ];

  it('refuses every mutating call without a token or with a wrong one (401), and nothing changes', async () => {
    const wrong = `stw_${'A'.repeat(43)}`;
    for (const [method, path, body] of mutating) {
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${wrong}` }, { authorization: `Bearer ${t.token}x` }, { authorization: t.token }];
      for (const headers of attempts) {
        const r = await t.anon.request(method, path, body, headers);
        expect(r.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.body.error.code).toBe('UNAUTHORIZED');
      }
    }
    const light = (await t.anon.get('/api/devices/living_room_light')).body;
    expect(light.state.on).toBe(false);
    expect(light.names.en).not.toContain('stolen lamp');
    expect((await nodes.snapshot('living-room-gateway')).living_room_light!.state.on).toBe(false);
    expect((await t.api.get('/api/mqtt-credentials')).body.credentials.map((c: { username: string }) => c.username)).not.toContain('intruder');
    expect((await t.api.get('/api/pairing')).body.open).toBe(false);
    expect(t.hub.registry.isOnline('hallway-gateway')).toBe(true);
    // refusals are audited (at most one entry per source per minute)
    expect(t.hub.security.audit.list({ kind: 'api.unauthorized' })[0]).toMatchObject({ source: '127.0.0.1' });
  });

  it('leaves read-only GETs open on loopback; the audit log and credentials need the token even there', async () => {
    for (const path of ['/api/nodes', '/api/devices', '/api/devices/living_room_light', '/api/health', '/api/schema']) {
      expect((await t.anon.get(path)).status, path).toBe(200);
    }
    const listed = (await t.anon.get('/api/nodes')).body.nodes[0];
    expect(Object.keys(listed)).toEqual(expect.arrayContaining(['id', 'name', 'online', 'paired']));
    for (const path of ['/api/audit', '/api/mqtt-credentials', '/api/pairing']) expect((await t.anon.get(path)).status, path).toBe(401);
    expect((await t.api.get('/api/audit')).status).toBe(200);
  });

  it('with the token: POST /api/pairing returns {code, expiresAt, qr} pinned to the hub certificate', async () => {
    const r = await t.api.post('/api/pairing', {});
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['code', 'expiresAt', 'qr']);
    expect(r.body.code).toMatch(/^\d{8}$/);
    const httpsPort = new URL(t.hub.httpsUrl!).port;
    const { hubId, certificate } = t.hub.security;
    expect(r.body.qr).toBe(`steward://pair?hub=${hubId}&host=127.0.0.1&port=${httpsPort}&fp=${certificate.fingerprint}&code=${r.body.code}`);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await t.api.delete('/api/pairing')).body.open).toBe(false);
  });

  it('documents the token in the API description', async () => {
    const doc = (await t.anon.get('/api/schema')).body;
    expect(doc.components.securitySchemes.adminToken).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.sessionCookie).toEqual({ type: 'apiKey', in: 'cookie', name: 'steward_session' });
    expect(doc.paths['/api/command'].post.security).toEqual([{ adminToken: [] }, { sessionCookie: [] }]);
    expect(doc.paths['/api/command'].post.responses['401']).toBeDefined();
    expect(doc.paths['/api/pairing'].post).toBeDefined();
    expect(doc.paths['/api/nodes/{id}/revoke'].post).toBeDefined();
  });
});

describe('the audit log of sensitive commands', () => {
  const sensitive = () => t.hub.security.audit.list({ kind: 'command.sensitive', subject: 'front_door_lock' });

  it('records an unlock confirmed in a conversation of the hub pipeline, not the request that was held', async () => {
    const held = await t.hub.pipeline.handle({ text: 'unlock the front door', conversationId: 'audit-conversation' });
    expect(held.awaitingConfirmation).toBe(true);
    expect(sensitive()).toEqual([]);
    const done = await t.hub.pipeline.handle({ text: 'yes', conversationId: 'audit-conversation' });
    expect(done.actions).toEqual([expect.objectContaining({ deviceId: 'front_door_lock', command: 'unlock', ok: true })]);
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect(sensitive()).toEqual([
      expect.objectContaining({ actor: 'audit-conversation', subject: 'front_door_lock', detail: expect.objectContaining({ command: 'unlock', ok: true, via: 'conversation' }) }),
    ]);
  });

  it('records a direct unlock through the API once the owner confirmed it (the token alone is no confirmation), not a lock or a light', async () => {
    expect((await t.api.post('/api/devices/front_door_lock/commands', { command: 'lock' })).status).toBe(200);
    expect((await t.api.post('/api/devices/hallway_light/commands', { command: 'turnOn' })).status).toBe(200);
    expect(sensitive()).toHaveLength(1);
    const r = await t.api.post('/api/devices/front_door_lock/commands', { command: 'unlock' });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('awaiting_confirmation');
    expect(sensitive()).toHaveLength(1);
    expect((await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' })).status).toBe(200);
    await nodes.waitForValue('front_door_lock', 'locked', false);
    expect(sensitive()[0]).toMatchObject({ actor: 'admin', source: '127.0.0.1', detail: { command: 'unlock', ok: true, via: 'api' } });
    expect(t.hub.security.audit.list({ kind: 'command.sensitive', subject: 'hallway_light' })).toEqual([]);
  });
});

describe('revocation through the API', () => {
  it('takes a demo node off the broker: offline, its credentials gone, its old password refused; audited', async () => {
    const r = await t.api.post('/api/nodes/living-room-gateway/revoke');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ nodeId: 'living-room-gateway', credentialsDeleted: ['living-room-gateway'], sessionsClosed: 1 });
    expect(r.body.retainedCleared).toContain('homie/5/living-room-gateway/$state');
    await waitUntil(async () => (await t.anon.get('/api/nodes')).body.nodes[0].online === false, 'the revoked node to be offline', 10_000);
    expect(await mqttRefusal({ clientId: 'steward-agent-living-room-gateway', ...demoCredentials['living-room-gateway'] })).toMatchObject({ code: 4 });
    const cmd = await t.api.post('/api/devices/living_room_light/commands', { command: 'turnOn' });
    expect(cmd.status).toBe(503);
    // the other node is untouched
    expect((await t.api.post('/api/devices/hallway_light/commands', { command: 'turnOff' })).status).toBe(200);
    expect(t.hub.security.audit.list({ kind: 'node.revoked' })[0]).toMatchObject({ actor: 'admin', subject: 'living-room-gateway' });
  });
});
