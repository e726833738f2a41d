/**
 * Matter through the whole hub, every part real: matter.js virtual devices in one network namespace; in another a
 * real `steward-agent` process configured with the @steward/driver-matter discovery module; the hub (embedded
 * broker, SQLite) in this process on 127.0.0.1, reached from the agent's namespace through a Unix-socket bridge
 * (tests/helpers/netns-bridge.ts: no interface in the root namespace). The owner commissions the light with
 * `POST /api/nodes/:id/commission`, adopts it with `POST /api/adoptions/:id`, and an English and a Chinese
 * sentence switch it on; a change made on the device reaches the hub; removing it decommissions it.
 * Skipped only when not root or without `ip netns`. matter.js never runs outside the namespaces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Home } from '@steward/device-adapters';
import { AGENT_BIN } from './helpers/agents.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { createMatterLab, type JsonProcess, type MatterLab } from './helpers/matter-lab.ts';
import { bridgeIntoNamespace, type NamespaceBridge } from './helpers/netns-bridge.ts';
import { netnsUnavailable, startInNamespace } from './helpers/netns.ts';
import { stopAllProcesses, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`matter-hub-e2e: skipped: ${unavailable}`);

const NODE = 'matter-gw';
const HOME: Home = {
  name: 'Matter test home',
  areas: [{ id: 'living_room', names: { en: ['living room'], zh: ['客厅'] } }],
  nodes: [{ id: NODE, kind: 'gateway', names: { en: ['matter gateway'] } }],
  devices: [],
  scenes: [],
  readOnly: [],
};

describe.skipIf(unavailable !== undefined)('a Matter light through the hub: commission, adopt, English and Chinese', () => {
  let lab: MatterLab;
  let devices: JsonProcess;
  let codes: Record<string, { manual: string; qr: string }>;
  let t: TestHub;
  let bridge: NamespaceBridge;
  let agent: ManagedProcess;
  let configFile: string;
  const startAgent = async () => {
    agent = startInNamespace(lab.controllerNs, process.execPath, [AGENT_BIN, 'start', '--config', configFile, '--log-level', 'info']);
    await agent.waitForLine(new RegExp(`^ready ${NODE} `), 90_000, 'stdout').catch((e: Error) => {
      throw new Error(`${e.message}\nagent stdout:\n${agent.stdout.slice(-20).join('\n')}\nagent stderr:\n${agent.stderr.slice(-20).join('\n')}`);
    });
  };

  const bulb = async () => (await devices.ok({ cmd: 'get', endpoint: 'bulb' })).state as Record<string, Record<string, any>>;
  const hubState = async () => (await t.api.get('/api/devices/desk_lamp')).body.state as Record<string, unknown>;

  beforeAll(async () => {
    lab = createMatterLab(`e${process.pid % 10_000}`);
    const d = await lab.startDevices(lab.tmp());
    devices = d.proc;
    codes = d.ready.nodes;
    t = await startTestHub({ homeFile: writeHomeFile(HOME) });
    const creds = (JSON.parse(readFileSync(await t.provisionNodes([NODE]), 'utf8')) as Record<string, { username: string; password: string; rpcSecret?: string }>)[NODE]!;
    bridge = await bridgeIntoNamespace(lab.controllerNs, Number(new URL(t.hub.mqttUrl).port));
    const dataDir = lab.tmp();
    const config = {
      mqtt: { url: `mqtt://127.0.0.1:${bridge.port}`, username: creds.username, password: creds.password, reconnect: { minMs: 100, maxMs: 1000 } },
      node: { id: NODE, name: 'matter gateway', kind: 'gateway' },
      ...(creds.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
      devices: [],
      dataDir,
      discovery: [{ module: '@steward/driver-matter', options: { mdnsInterface: lab.ns.hubIf, subscribeMaxIntervalS: 5 } }],
    };
    configFile = join(lab.tmp(), 'agent.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    await startAgent();
    await t.hub.waitForNodes([NODE], 30_000);
  }, 180_000);

  afterAll(async () => {
    await agent?.stop();
    await devices?.stop();
    await bridge?.stop();
    await t?.stop();
    await stopAllProcesses();
    lab?.cleanup();
  }, 30_000);

  it('commissions the light from the hub and lists its endpoint for adoption', async () => {
    const r = await t.api.post(`/api/nodes/${NODE}/commission`, { setupCode: codes.light!.manual });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.found).toHaveLength(1);
    expect(r.body.found[0]).toMatchObject({
      nodeId: NODE,
      ecosystem: 'matter',
      type: 'light',
      traits: ['onOff', 'brightness', 'color', 'colorTemperature'],
      label: 'Steward Test Devices Colour Bulb',
      status: 'pending',
      state: { on: false, brightness: 50, hue: 0, saturation: 0, colorTempK: 4000 },
    });
    expect(r.body.found[0].key).toMatch(/^\d+:1$/);
    const list = (await t.api.get('/api/adoptions')).body.adoptions as { id: string }[];
    expect(list.map((a) => a.id)).toEqual([r.body.found[0].id]);
  }, 120_000);

  it('adopts it with an English and a Chinese name and an area; an English sentence turns it on through the node', async () => {
    const [pending] = (await t.api.get('/api/adoptions')).body.adoptions as { id: string }[];
    // an English and a Chinese name at once
    const adopted = await t.api.post(`/api/adoptions/${pending!.id}`, { name: 'Desk lamp', area: 'living_room', names: { zh: ['台灯'] } });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
    expect(adopted.body.device).toMatchObject({ id: 'desk_lamp', type: 'light', area: 'living_room', node: NODE, names: { en: ['Desk lamp'], zh: ['台灯'] } });
    expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);

    const c = await t.api.post('/api/command', { text: 'turn on the desk lamp' });
    expect(c.status).toBe(200);
    expect(c.body.actions).toMatchObject([{ deviceId: 'desk_lamp', command: 'turnOn', ok: true }]);
    expect((await bulb()).onOff!.onOff).toBe(true);
    await waitUntil(async () => (await hubState()).on === true, 'the hub to hold on=true');
  }, 60_000);

  it('a change made on the device reaches the hub; a Chinese sentence turns it on again', async () => {
    await devices.ok({ cmd: 'set', endpoint: 'bulb', values: { onOff: { onOff: false } } });
    await waitUntil(async () => (await hubState()).on === false, 'the hub to hear the light went off', 20_000);

    const c = await t.api.post('/api/command', { text: '打开台灯' });
    expect(c.status).toBe(200);
    expect(c.body.actions).toMatchObject([{ deviceId: 'desk_lamp', command: 'turnOn', ok: true }]);
    expect((await bulb()).onOff!.onOff).toBe(true);
    const b = await t.api.post('/api/command', { text: 'set the desk lamp to 30%' });
    expect(b.body.actions).toMatchObject([{ deviceId: 'desk_lamp', command: 'setBrightness', ok: true }]);
    // 30 % of 254
    expect((await bulb()).levelControl!.currentLevel).toBe(76);
    await waitUntil(async () => (await hubState()).brightness === 30, 'the hub to hold brightness 30');
  }, 60_000);

  it('a restarted node reopens the adopted light from its kept fabric and drives it', async () => {
    await agent.stop();
    await waitUntil(async () => (await t.api.get('/api/devices/desk_lamp')).body.online === false, 'the hub to see the node go', 30_000);
    await startAgent();
    await t.hub.waitForNodes([NODE], 30_000);
    // nothing new to adopt: the node kept its fabric and the adoption
    expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);
    const c = await waitUntil(async () => {
      const r = await t.api.post('/api/command', { text: 'turn off the desk lamp' });
      return r.body.actions?.[0]?.ok === true && r;
    }, 'the light to answer after the node restart', 30_000, 500);
    expect(c.body.actions).toMatchObject([{ deviceId: 'desk_lamp', command: 'turnOff', ok: true }]);
    expect((await bulb()).onOff!.onOff).toBe(false);
  }, 150_000);

  it('removing the device decommissions it: the light leaves the fabric', async () => {
    expect((await devices.ok({ cmd: 'fabrics', node: 'light' })).fabrics).toBe(1);
    const r = await t.api.delete('/api/devices/desk_lamp');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ deviceId: 'desk_lamp', nodeId: NODE });
    await waitUntil(async () => (await devices.ok({ cmd: 'fabrics', node: 'light' })).fabrics === 0, 'the light to have no fabric', 30_000);
    expect((await t.api.get('/api/adoptions')).body.adoptions).toEqual([]);
  }, 60_000);
});
