/**
 * SQLite is the source of truth: a hub stopped and started again on the same data dir shows the last known state and
 * the owner's renames, with every node offline until it says `ready` again. Node agents are real processes.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SIM_BIN } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { startProcess, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const homeFile = writeHomeFile(subsetHome(['living-room-gateway', 'kitchen-hub']));
const dataDir = tempDataDir();
const running: { hub?: TestHub; sim?: ManagedProcess } = {};

/** the agents run with per-node credentials the hub provisioned (kept in its database across restarts) */
async function startSim(t: TestHub): Promise<ManagedProcess> {
  const credentials = await t.provisionNodes(['living-room-gateway', 'kitchen-hub']);
  const sim = startProcess(process.execPath, [SIM_BIN, 'home', homeFile, '--hub', t.hub.mqttUrl, '--credentials', credentials]);
  running.sim = sim;
  await sim.waitForLine(/^fleet ready/, 60_000, 'stdout');
  return sim;
}

afterAll(async () => {
  await running.sim?.stop();
  await running.hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a restarted hub', () => {
  let mqttPort = 0;

  it('first run: commands change what the nodes hold, and a device is renamed', async () => {
    const t = (running.hub = await startTestHub({ homeFile, dataDir }));
    mqttPort = Number(new URL(t.hub.mqttUrl).port);
    await startSim(t);
    await t.hub.waitForNodes(undefined, 20_000);
    expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 35 } })).status).toBe(200);
    expect((await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' })).status).toBe(200);
    expect((await t.api.patch('/api/devices/fridge', { names: { en: ['big fridge'] }, area: 'balcony' })).status).toBe(200);
    await running.sim!.stop();
    await waitUntil(async () => !(await t.api.get('/api/devices/kitchen_light')).body.online, 'nodes offline after the agents stopped');
    await t.stop();
    expect(existsSync(join(dataDir, 'steward.db'))).toBe(true);
  });

  it('second run on the same data dir: last known state, renames kept over the home file, nodes offline', async () => {
    const t = (running.hub = await startTestHub({ homeFile, dataDir, mqttPort }));
    const { body } = await t.api.get('/api/devices');
    const byId = Object.fromEntries(body.devices.map((d: { id: string }) => [d.id, d]));
    expect(byId.living_room_light).toMatchObject({ online: false, state: { on: false, brightness: 35 } });
    expect(byId.kitchen_light).toMatchObject({ online: false, state: { on: false } });
    // the home file seeded again, but the owner's edits stay
    expect(byId.fridge).toMatchObject({ area: 'balcony', names: { en: ['big fridge'], zh: ['冰箱'] } });
    expect((await t.api.get('/api/nodes')).body.nodes.every((n: { online: boolean }) => !n.online)).toBe(true);
    // a command to an offline node fails at once, it does not wait for a timeout
    const r = await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOn' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('NODE_OFFLINE');
  });

  it('nodes come back online when their agents return, and the hub takes what they report', async () => {
    const t = running.hub!;
    await startSim(t);
    await t.hub.waitForNodes(undefined, 20_000);
    const { body } = await t.api.get('/api/devices');
    const byId = Object.fromEntries(body.devices.map((d: { id: string }) => [d.id, d]));
    // fresh simulated agents start from the home file's initial state, and they are the truth
    expect(byId.kitchen_light).toMatchObject({ online: true, state: { on: true, brightness: 100 } });
    expect(byId.living_room_light).toMatchObject({ online: true, state: { brightness: 80 } });
  });

  it('agents that stay up reconnect by themselves to a hub restarted on the same port', async () => {
    await running.hub!.stop();
    const t = (running.hub = await startTestHub({ homeFile, dataDir, mqttPort }));
    await t.hub.waitForNodes(undefined, 30_000);
    const r = await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' });
    expect(r.status).toBe(200);
    expect(r.body.state.on).toBe(false);
  });
});
