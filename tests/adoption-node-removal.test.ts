/**
 * Removing a whole node that adopted devices (`DELETE /api/nodes/:id`, `steward-hub remove`): online, the node first
 * takes each adopted device out of its ecosystem (a commissioned one leaves the fabric), then it is revoked and
 * removed; offline, the hub does not wait (the hub's forget timeout here is longer than the test's): the node is removed at once and the report says which devices stay in
 * their ecosystem. Real hub (embedded broker, SQLite), real node-agent processes with the simulated discovery module.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Home } from '@steward/device-adapters';
import { startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { ADOPTION_HOME, BULB_SETUP_CODE, DISCOVERY_NODE, discoveryNodeConfig } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const OFFLINE_NODE = 'disco-away';
const home: Home = { ...ADOPTION_HOME, nodes: [...ADOPTION_HOME.nodes, { id: OFFLINE_NODE, kind: 'gateway', names: { en: ['away gateway'] } }] };

let t: TestHub;
/** both nodes' credentials, in one file */
let creds: string;
const agents: AgentProcess[] = [];
const dataDirs: string[] = [];

type View = { id: string; key: string; nodeId: string };

/** an agent config for `nodeId`, made from the discovery node's with that node's own credentials */
function configFor(nodeId: string, credentialsFile: string) {
  const base = discoveryNodeConfig(t.hub.mqttUrl, credentialsFile);
  dataDirs.push(base.dataDir!);
  if (nodeId === DISCOVERY_NODE) return base;
  const creds = (JSON.parse(readFileSync(credentialsFile, 'utf8')) as Record<string, { username: string; password: string; rpcSecret?: string }>)[nodeId]!;
  return {
    ...base,
    mqtt: { ...base.mqtt, username: creds.username, password: creds.password },
    node: { id: nodeId, name: nodeId, kind: 'gateway' as const },
    ...(creds.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
  };
}

async function adopt(nodeId: string, key: string, name: string): Promise<string> {
  const a = await waitUntil(async () => ((await t.api.get('/api/adoptions')).body.adoptions as View[]).find((x) => x.nodeId === nodeId && x.key === key), `${key} on ${nodeId}`, 15_000);
  const r = await t.api.post(`/api/adoptions/${a.id}`, { name, area: 'living_room' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.device.id as string;
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

beforeAll(async () => {
  // a forget timeout longer than the test's: an offline node must not be waited for at all
  t = await startTestHub({ homeFile: writeHomeFile(home), adoption: { forgetTimeoutMs: 120_000 } });
  creds = await t.provisionNodes([DISCOVERY_NODE, OFFLINE_NODE]);
}, 30_000);

afterAll(async () => {
  for (const a of agents) await a.stop();
  await t?.stop();
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe('removing a node that adopted devices', { timeout: 60_000 }, () => {
  it('online: the node forgets its adopted devices in their ecosystem first, then it is revoked and removed', async () => {
    const config = configFor(DISCOVERY_NODE, creds);
    agents.push(await startAgentProcess(config));
    await t.hub.waitForNodes([DISCOVERY_NODE], 20_000);
    const lamp = await adopt(DISCOVERY_NODE, 'lamp-1', 'Sofa lamp');
    expect((await t.api.post(`/api/nodes/${DISCOVERY_NODE}/commission`, { setupCode: BULB_SETUP_CODE })).status).toBe(202);
    const bulb = await adopt(DISCOVERY_NODE, 'bulb-2', 'Hall bulb');

    const r = await t.api.delete(`/api/nodes/${DISCOVERY_NODE}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ nodeId: DISCOVERY_NODE, devicesRemoved: [lamp, bulb], notForgotten: [], revoked: { nodeId: DISCOVERY_NODE } });
    expect([...r.body.forgotten].sort()).toEqual([bulb, lamp].sort());
    // the node's own files: nothing adopted any more; the found lamp forgotten, the commissioned bulb off the fabric
    const dir = config.dataDir!;
    expect(json(join(dir, 'adopted-devices.json')).adopted).toEqual([]);
    expect(json(join(dir, 'sim-discovery-sim.json'))).toEqual({ commissioned: [], forgotten: ['lamp-1'] });
    expect((await t.api.get('/api/nodes')).body.nodes.map((n: { id: string }) => n.id)).toEqual([OFFLINE_NODE]);
    expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);
    const audit = await t.api.get('/api/audit?kind=node.removed');
    expect(audit.body.entries[0]).toMatchObject({ subject: DISCOVERY_NODE, detail: { revoked: true, notForgotten: [] } });
  });

  it('offline: removed at once; the report lists the adopted devices left in their ecosystem', async () => {
    const config = configFor(OFFLINE_NODE, creds);
    const agent = await startAgentProcess(config);
    await t.hub.waitForNodes([OFFLINE_NODE], 20_000);
    const lamp = await adopt(OFFLINE_NODE, 'lamp-1', 'Away lamp');
    await agent.stop();
    await waitUntil(async () => (await t.api.get('/api/nodes')).body.nodes.find((n: { id: string; online: boolean }) => n.id === OFFLINE_NODE && !n.online), 'the node offline', 10_000);

    const r = await t.api.delete(`/api/nodes/${OFFLINE_NODE}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ nodeId: OFFLINE_NODE, devicesRemoved: [lamp], forgotten: [], notForgotten: [lamp] });
    // the node still has it (it never heard): what docs/operations.md says to do about it
    expect(json(join(config.dataDir!, 'adopted-devices.json')).adopted.map((a: { key: string }) => a.key)).toEqual(['lamp-1']);
    expect(existsSync(join(config.dataDir!, 'sim-discovery-sim.json'))).toBe(false);
    expect((await t.api.get('/api/devices')).body.devices.map((d: { id: string }) => d.id)).toEqual([]);
  });
});
