/**
 * Pairing with the real hub (createHub) and the real steward-agent bin on loopback, so it runs without root: the
 * owner opens a window with the admin token, the agent pairs with the QR payload (TLS pinned to the payload's
 * fingerprint, HMAC proof), its declared devices enter the registry under its node id, it comes online over MQTT in
 * TLS, the owner renames and moves a device and commands it by its new name, then revokes the node: the agent is
 * disconnected and refused when it tries again. (tests/pairing-hub-e2e.test.ts does the same across two network
 * namespaces with mDNS and a typed code.)
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@steward/device-adapters';
import { AGENT_BIN } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import type { TestHub } from './helpers/hub-start.ts';
import { startPairingHub, stopPairingHub } from './helpers/pairing-hub.ts';
import type { MqttCollector } from './helpers/mqtt-collector.ts';
import { startProcess, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

let t: TestHub;
let watcher: MqttCollector;
let agent: ManagedProcess | undefined;
const agentDir = mkdtempSync(join(tmpdir(), 'stw-agent-loop-'));
const paired: { nodeId?: string; light?: string; lock?: string } = {};

beforeAll(async () => {
  ({ t, watcher } = await startPairingHub(writeHomeFile(subsetHome(['living-room-gateway']))));
}, 60_000);

afterAll(() => stopPairingHub({ agent, watcher, t, agentDir }));

describe('pairing a new node with the running hub', () => {
  it('pairs with the QR payload of POST /api/pairing; the declared devices enter the registry under the node id', async () => {
    const window = await t.api.post('/api/pairing', {});
    expect(window.status).toBe(200);
    const pair = startProcess(process.execPath, [
      AGENT_BIN, 'pair', '--code', window.body.qr, '--data-dir', agentDir,
      '--simulate', 'light', '--simulate', 'lock', '--area', 'study', '--name', 'desk agent', '--log-level', 'warn',
    ]);
    const exit = await pair.exited;
    expect(exit.code, pair.stderr.join('\n')).toBe(0);
    const line = pair.stdout.find((l) => l.startsWith('paired '))!;
    const m = /^paired (n-[a-z2-7]{16}) with hub (h-[a-z2-7]{16}) at 127\.0\.0\.1:(\d+) \(hmac\); 2 devices; credentials in (.+)$/.exec(line);
    expect(m, line).not.toBeNull();
    paired.nodeId = m![1]!;
    expect(m![2]).toBe(t.hub.security.hubId);
    expect(m![3]).toBe(new URL(t.hub.httpsUrl!).port);
    expect(statSync(m![4]!).mode & 0o777).toBe(0o600);
    // the window is used up: one code pairs one node
    expect((await t.api.get('/api/pairing')).body).toMatchObject({ open: false, lastClosed: { reason: 'used' } });

    const node = (await t.anon.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === paired.nodeId);
    expect(node).toMatchObject({ id: paired.nodeId, name: 'desk agent', paired: true, online: false });
    expect(node.devices).toHaveLength(2);
    paired.light = node.devices.find((d: string) => d.startsWith('light_'));
    paired.lock = node.devices.find((d: string) => d.startsWith('lock_'));
    const light = (await t.anon.get(`/api/devices/${paired.light}`)).body;
    expect(light).toMatchObject({ node: paired.nodeId, area: 'study', type: 'light', online: false });
    // a paired lock gets the same safety as the home file's: unlocking needs confirmation
    expect((await t.anon.get(`/api/devices/${paired.lock}`)).body.confirm).toEqual(['unlock']);
    expect(t.hub.security.audit.list({ kind: 'pairing.succeeded' })[0]).toMatchObject({ subject: paired.nodeId });
  }, 60_000);

  it('start refuses a simulated device that was not declared when pairing (the hub could not command it)', async () => {
    const p = startProcess(process.execPath, [AGENT_BIN, 'start', '--data-dir', agentDir, '--simulate', 'tv', '--log-level', 'warn']);
    expect((await p.exited).code).toBe(2);
    expect(p.stderr.join('\n')).toMatch(/declared no simulated tv when it paired.*pair again with --simulate tv \(declared: light, lock\)/);
    expect(t.hub.security.acl.sessions(paired.nodeId!)).toHaveLength(0);
  });

  it('starts with the stored credentials over MQTT in TLS pinned to the hub, and comes online', async () => {
    agent = startProcess(process.execPath, [AGENT_BIN, 'start', '--data-dir', agentDir, '--log-level', 'warn']);
    const ready = await agent.waitForLine(new RegExp(`^ready ${paired.nodeId} 2 devices `), 30_000, 'stdout');
    expect(ready).toBe(`ready ${paired.nodeId} 2 devices ${t.hub.mqttsUrl}`);
    await waitUntil(async () => (await t.anon.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === paired.nodeId)?.online, 'the paired node online');
    expect(t.hub.security.acl.sessions(paired.nodeId!)).toHaveLength(1);
  }, 40_000);

  it('the owner renames and moves the new light; a command naming it is executed and acknowledged by the agent', async () => {
    const edit = await t.api.patch(`/api/devices/${paired.light}`, { names: { en: ['desk lamp'] }, area: 'bedroom' });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ area: 'bedroom', names: { en: ['desk lamp'] } });
    const said = await t.api.post('/api/command', { text: 'turn on the desk lamp' });
    expect(said.status).toBe(200);
    expect(said.body.actions).toEqual([expect.objectContaining({ deviceId: paired.light, command: 'turnOn', ok: true, state: expect.objectContaining({ on: true }) })]);
    // what the agent itself published
    await watcher.waitForValue(topics.property(paired.nodeId!, paired.light!, 'on'), (v) => v === 'true');
    const direct = await t.api.post(`/api/devices/${paired.light}/commands`, { command: 'setBrightness', params: { brightness: 25 } });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ ok: true, state: { brightness: 25 } });
    await watcher.waitForValue(topics.property(paired.nodeId!, paired.light!, 'brightness'), (v) => v === '25');
  });

  it('the paired lock unlocks only after the owner confirms; the hub signs with the secret pairing gave the agent', async () => {
    const creds = JSON.parse(readFileSync(join(agentDir, 'credentials.json'), 'utf8'));
    expect(creds.rpcSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(creds.rpcSecret).toBe(t.hub.security.rpcSecrets.secretFor(paired.nodeId!));
    const r = await t.api.post(`/api/devices/${paired.lock}/commands`, { command: 'unlock' });
    expect(r.status).toBe(202);
    expect(watcher.latest(topics.property(paired.nodeId!, paired.lock!, 'locked'))).toBe('true');
    const settled = await t.api.post(`/api/confirmations/${r.body.confirmationId}`, { decision: 'confirm' });
    expect(settled.status).toBe(200);
    expect(settled.body.actions).toEqual([expect.objectContaining({ deviceId: paired.lock, ok: true, state: { locked: false } })]);
    await watcher.waitForValue(topics.property(paired.nodeId!, paired.lock!, 'locked'), (v) => v === 'false');
  });

  it('revocation through the API disconnects the agent, which cannot reconnect', async () => {
    const r = await t.api.post(`/api/nodes/${paired.nodeId}/revoke`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ nodeId: paired.nodeId, credentialsDeleted: [paired.nodeId], sessionsClosed: 1 });
    await waitUntil(() => agent!.stderr.some((l) => l.includes('connection lost')), 'the agent to lose its connection', 10_000);
    await waitUntil(() => agent!.stderr.some((l) => /Bad username or password/i.test(l)), 'the agent to be refused when it reconnects', 15_000);
    const node = (await t.anon.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === paired.nodeId);
    expect(node).toMatchObject({ online: false, paired: false });
    expect(t.hub.security.acl.sessions(paired.nodeId!)).toHaveLength(0);
    expect((await t.api.post(`/api/devices/${paired.light}/commands`, { command: 'turnOff' })).status).toBe(503);
    // the hub no longer holds a secret for it: nothing it sends that node could unlock anything
    expect(t.hub.security.rpcSecrets.secretFor(paired.nodeId!)).toBeUndefined();
    // its devices stay in the registry (the owner may pair it again)
    expect((await t.anon.get(`/api/devices/${paired.light}`)).body.names.en).toEqual(['desk lamp']);
  }, 40_000);
});
