/**
 * Nothing acknowledged is lost across a restart: a hub stopped and started again on the same data folder (with its
 * demo: real node-agent processes) keeps the devices' states and its scheduled commands. A schedule still due runs
 * when its time comes; one that fell due while the hub was down runs late within the grace period and is otherwise
 * recorded as missed. Device states are read from the real agents over MQTT, not from the hub.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HubConfigInput } from '@steward/hub';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, tempDataDir, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['living-room-gateway', 'kitchen-hub']);
const homeFile = writeHomeFile(home);
const dataDirs: string[] = [];
const running: { hub?: TestHub; nodes?: NodeReports } = {};

/** a hub with its demo on `dataDir`, and a test MQTT client reading what the agents themselves report */
async function start(dataDir: string, config: Partial<HubConfigInput> & Record<string, unknown> = {}): Promise<{ t: TestHub; nodes: NodeReports }> {
  const t = (running.hub = await startTestHub({ homeFile, demo: true, dataDir, ...config }));
  const nodes = (running.nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin()));
  return { t, nodes };
}

async function stop(): Promise<void> {
  await running.nodes?.close();
  await running.hub?.stop();
  running.nodes = undefined;
  running.hub = undefined;
}

function freshDataDir(): string {
  const d = tempDataDir();
  dataDirs.push(d);
  return d;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(stop);
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

// each test starts a hub and its agents twice: slow on a loaded two-core machine
describe('demo state across a restart', { timeout: 150_000 }, () => {
  it('a changed device is still changed after the hub and its demo restart', async () => {
    const dataDir = freshDataDir();
    let { t, nodes } = await start(dataDir);
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state).toMatchObject({ on: true, brightness: 100 });
    expect((await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' })).status).toBe(200);
    expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 35 } })).status).toBe(200);
    const r = await t.api.post('/api/command', { text: 'set the living room light to warm white' });
    expect(r.body.actions).toContainEqual(expect.objectContaining({ deviceId: 'living_room_light', command: 'setColorTemperature', ok: true }));
    expect(r.body.actions.every((x: { ok: boolean }) => x.ok)).toBe(true);
    const colorTempK = (await nodes.snapshot('living-room-gateway')).living_room_light!.state.colorTempK;
    expect(colorTempK).toBeLessThan(4000); // warmer than the home file's 4000 K
    // each node's devices are in its own file in the data folder, written as they changed
    const saved = JSON.parse(readFileSync(join(dataDir, 'demo-state', 'kitchen-hub.json'), 'utf8'));
    expect(saved.devices.kitchen_light).toMatchObject({ on: false });
    await stop();

    ({ t, nodes } = await start(dataDir));
    const kitchen = await nodes.snapshot('kitchen-hub');
    const living = await nodes.snapshot('living-room-gateway');
    expect(kitchen.kitchen_light!.state.on).toBe(false);
    expect(living.living_room_light!.state).toMatchObject({ on: true, brightness: 35, colorTempK });
    // devices nobody touched are at their initial states
    const fridge = home.devices.find((d) => d.id === 'fridge')!;
    expect(kitchen.fridge!.state.targetTemperature).toBe(fridge.state.targetTemperature);
    // and the hub shows what the agents report
    const { body } = await t.api.get('/api/devices/kitchen_light');
    expect(body).toMatchObject({ online: true, state: { on: false } });
  });

  it('a node that comes back with another state than acknowledged is reported, and what it reports is kept', async () => {
    const dataDir = freshDataDir();
    let { t, nodes } = await start(dataDir);
    expect((await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' })).status).toBe(200);
    await stop();
    // while the hub is down, someone switches the light on by hand at 60 %: the node's own state changes
    const file = join(dataDir, 'demo-state', 'kitchen-hub.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    saved.devices.kitchen_light = { ...saved.devices.kitchen_light, on: true, brightness: 60 };
    writeFileSync(file, JSON.stringify(saved));

    ({ t, nodes } = await start(dataDir));
    const { body } = await waitUntil(async () => {
      const r = await t.api.get('/api/state-differences');
      return r.body.differences.length >= 2 && r;
    }, 'the differences reported');
    expect(body.differences.map((d: Record<string, unknown>) => ({ ...d, at: undefined })).sort((x: { field: string }, y: { field: string }) => x.field.localeCompare(y.field))).toEqual([
      { nodeId: 'kitchen-hub', deviceId: 'kitchen_light', field: 'brightness', acknowledged: 100, reported: 60, at: undefined },
      { nodeId: 'kitchen-hub', deviceId: 'kitchen_light', field: 'on', acknowledged: false, reported: true, at: undefined },
    ]);
    // the owner's hand wins: nothing is re-applied over it
    await sleep(300);
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state).toMatchObject({ on: true, brightness: 60 });
    expect((await t.api.get('/api/devices/kitchen_light')).body.state).toMatchObject({ on: true, brightness: 60 });
  });

  it('an acknowledged command is in SQLite when the HTTP response arrives', async () => {
    const dataDir = freshDataDir();
    const { t } = await start(dataDir);
    const r = await t.api.post('/api/devices/kitchen_light/commands', { command: 'setBrightness', params: { brightness: 17 } });
    expect(r.status).toBe(200);
    // a second connection to the same file (WAL): what the hub committed before answering, nothing more
    const db = new Database(join(dataDir, 'steward.db'), { readonly: true });
    try {
      const row = db.prepare(`SELECT value FROM device_state WHERE device_id = 'kitchen_light' AND field = 'brightness'`).get() as { value: string };
      expect(JSON.parse(row.value)).toBe(17);
      // the same for a sentence's acknowledged action, and for a schedule the reply says "OK" to
      const said = await t.api.post('/api/command', { text: 'turn off the kitchen light' });
      expect(said.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', ok: true })]);
      const on = db.prepare(`SELECT value FROM device_state WHERE device_id = 'kitchen_light' AND field = 'on'`).get() as { value: string };
      expect(JSON.parse(on.value)).toBe(false);
      const later = await t.api.post('/api/command', { text: 'turn on the kitchen light in 5 minutes' });
      expect(later.body.reply).toMatch(/5|five/);
      const stored = db.prepare(`SELECT conversation_id, status, actions FROM schedules`).all() as { conversation_id: string; status: string; actions: string }[];
      expect(stored.map((x) => ({ ...x, actions: JSON.parse(x.actions) }))).toEqual([
        { conversation_id: later.body.conversationId, status: 'pending', actions: [{ deviceId: 'kitchen_light', command: 'turnOn', params: {} }] },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('scheduled commands across a restart', { timeout: 150_000 }, () => {
  it('a schedule made before a restart runs after it, when its time comes', async () => {
    const dataDir = freshDataDir();
    let { t, nodes } = await start(dataDir);
    const r = await t.api.post('/api/command', { text: 'turn off the kitchen light in 20 seconds' });
    expect(r.status).toBe(200);
    expect(r.body.actions).toEqual([]);
    const { body } = await t.api.get('/api/schedules');
    expect(body.schedules).toEqual([
      expect.objectContaining({ status: 'pending', conversationId: r.body.conversationId, actions: [{ deviceId: 'kitchen_light', command: 'turnOff', params: {} }] }),
    ]);
    const { id, dueAt } = body.schedules[0];
    await stop();

    ({ t, nodes } = await start(dataDir));
    // back before it is due: still pending, and the light is still on
    expect(Date.now()).toBeLessThan(Date.parse(dueAt));
    expect((await t.api.get('/api/schedules')).body.schedules[0]).toMatchObject({ id, status: 'pending' });
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.on).toBe(true);
    await nodes.waitForValue('kitchen_light', 'on', false, 40_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(dueAt));
    const done = await waitUntil(async () => {
      const s = (await t.api.get('/api/schedules')).body.schedules[0];
      return s.status !== 'pending' && s;
    }, 'the schedule finished');
    expect(done).toMatchObject({ id, status: 'done', results: [expect.objectContaining({ deviceId: 'kitchen_light', ok: true, state: expect.objectContaining({ on: false }) })] });
  });

  it('a schedule that fell due while the hub was down runs late when within the grace period', async () => {
    const dataDir = freshDataDir();
    let { t, nodes } = await start(dataDir, { conversation: { scheduleGraceMs: 120_000 } });
    await t.api.post('/api/command', { text: 'turn off the kitchen light in 1 second' });
    await stop();
    await sleep(2500);
    ({ t, nodes } = await start(dataDir, { conversation: { scheduleGraceMs: 120_000 } }));
    await nodes.waitForValue('kitchen_light', 'on', false, 20_000);
    const s = await waitUntil(async () => {
      const x = (await t.api.get('/api/schedules')).body.schedules[0];
      return x.status !== 'pending' && x;
    }, 'the late schedule finished');
    expect(s).toMatchObject({ status: 'done' });
    expect(Date.parse(s.finishedAt) - Date.parse(s.dueAt)).toBeGreaterThan(2000);
  });

  it('a schedule due while the hub was down beyond the grace period is reported as missed, not run', async () => {
    const dataDir = freshDataDir();
    let { t, nodes } = await start(dataDir, { conversation: { scheduleGraceMs: 1000 } });
    const r = await t.api.post('/api/command', { text: 'turn off the kitchen light in 1 second' });
    await stop();
    await sleep(3000);
    ({ t, nodes } = await start(dataDir, { conversation: { scheduleGraceMs: 1000 } }));
    const s = (await t.api.get('/api/schedules')).body.schedules[0];
    expect(s).toMatchObject({ status: 'missed', conversationId: r.body.conversationId, results: null, actions: [{ deviceId: 'kitchen_light', command: 'turnOff', params: {} }] });
    await sleep(500);
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.on).toBe(true);
    expect(existsSync(join(dataDir, 'steward.db'))).toBe(true);
  });
});
