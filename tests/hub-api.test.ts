/**
 * The HTTP API against a hub running real node-agent processes (two nodes of the benchmark home): listing, renaming
 * and moving devices, direct control, and the schema generated from the zod schemas.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandTextRequestSchema } from '@steward/hub/conversation/contract.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';

const home = subsetHome(['living-room-gateway', 'kitchen-hub']);
let t: TestHub;
let nodes: NodeReports;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true });
  nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

describe('listing', () => {
  it('GET /api/devices lists every device with its node, area, traits, commands and reported state', async () => {
    const { status, body } = await t.api.get('/api/devices');
    expect(status).toBe(200);
    expect(body.devices.map((d: { id: string }) => d.id)).toEqual(home.devices.map((d) => d.id));
    for (const d of home.devices) {
      const listed = body.devices.find((x: { id: string }) => x.id === d.id);
      expect(listed).toMatchObject({ type: d.type, node: d.node, area: d.area, traits: d.traits, names: d.names, online: true });
      // what the nodes reported at start is the home file's initial state (read-only sensors may drift)
      for (const [field, value] of Object.entries(d.state)) {
        if (!home.readOnly.includes(field)) expect(listed.state[field], `${d.id}.${field}`).toEqual(value);
      }
    }
  });

  it('GET /api/devices/:id shows one device; an unknown id is 404', async () => {
    const { status, body } = await t.api.get('/api/devices/living_room_light');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: 'living_room_light',
      area: 'living_room',
      node: 'living-room-gateway',
      attributes: { minK: 2700, maxK: 6500 },
      state: { on: false, brightness: 80, colorTempK: 4000 },
    });
    expect(body.commands).toEqual(expect.arrayContaining(['turnOn', 'setBrightness', 'adjustColorTemperature']));
    const missing = await t.api.get('/api/devices/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('UNKNOWN_DEVICE');
  });

  it('GET /api/nodes lists nodes with id, name, kind, online and paired', async () => {
    const { body } = await t.api.get('/api/nodes');
    expect(body.nodes).toEqual([
      expect.objectContaining({ id: 'living-room-gateway', name: 'living room gateway', kind: 'gateway', online: true, paired: false, homieState: 'ready' }),
      expect.objectContaining({ id: 'kitchen-hub', name: 'kitchen appliances', kind: 'appliance', online: true, paired: false }),
    ]);
    expect(body.nodes[1].devices).toEqual(['kitchen_light', 'fridge', 'dishwasher', 'range_hood']);
  });
});

describe('direct control', () => {
  it('POST /api/devices/:id/commands completes on the node acknowledgement; the node reports the new state', async () => {
    const r = await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 30 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ deviceId: 'living_room_light', command: 'setBrightness', ok: true, state: { brightness: 30 } });
    await nodes.waitForValue('living_room_light', 'brightness', 30);
    expect((await nodes.snapshot('living-room-gateway')).living_room_light!.state.brightness).toBe(30);
  });

  it('a moving device answers with where it is heading; its Homie $target is the pending target', async () => {
    const r = await t.api.post('/api/devices/living_room_curtains/commands', { command: 'setPosition', params: { position: 60 } });
    expect(r.status).toBe(200);
    expect(r.body.state.position).toBe(60);
    const d = (await t.api.get('/api/devices/living_room_curtains')).body;
    expect(d.state.position).toBe(60);
    // the curtain moves at a realistic speed: the reported position trails the target
    expect(d.reported.position).toBeLessThan(60);
    expect(d.targets.position).toBe(60);
    expect(t.hub.snapshot().living_room_curtains!.position).toBe(60);
  });

  it('a relative command is its own command, clamped by the node', async () => {
    const r = await t.api.post('/api/devices/living_room_light/commands', { command: 'adjustBrightness', params: { delta: 90 } });
    expect(r.status).toBe(200);
    await nodes.waitForValue('living_room_light', 'brightness', 100);
  });
});

describe('renaming and moving', () => {
  it('PATCH names: listed, stored, version bumped, and the new name is understood', async () => {
    const before = (await t.api.get('/api/health')).body.version;
    const r = await t.api.patch('/api/devices/floor_lamp', { names: { en: ['reading lamp'] } });
    expect(r.status).toBe(200);
    expect(r.body.names).toEqual({ en: ['reading lamp'], zh: ['落地灯'] });
    expect((await t.api.get('/api/health')).body.version).toBeGreaterThan(before);
    expect((await t.api.get('/api/devices/floor_lamp')).body.names.en).toEqual(['reading lamp']);

    const said = await t.api.post('/api/command', { text: 'turn on the reading lamp' });
    expect(said.status).toBe(200);
    expect(said.body.actions).toEqual([expect.objectContaining({ deviceId: 'floor_lamp', command: 'turnOn', ok: true })]);
    await nodes.waitForValue('floor_lamp', 'on', true);
  });

  it('PATCH area moves the device; "turn off the study lights" then reaches it', async () => {
    const r = await t.api.patch('/api/devices/floor_lamp', { area: 'study' });
    expect(r.status).toBe(200);
    expect(r.body.area).toBe('study');
    const said = await t.api.post('/api/command', { text: 'turn off the light', area: 'study' });
    expect(said.status).toBe(200);
    expect(said.body.actions).toEqual([expect.objectContaining({ deviceId: 'floor_lamp', command: 'turnOff', ok: true })]);
    await nodes.waitForValue('floor_lamp', 'on', false);
  });
});

describe('GET /api/schema', () => {
  it('is an OpenAPI 3.1 document generated from the same zod schemas the routes use', async () => {
    const { status, body } = await t.api.get('/api/schema');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/command', '/api/devices', '/api/devices/{id}', '/api/devices/{id}/commands', '/api/nodes']),
    );
    const commandBody = body.paths['/api/command'].post.requestBody.content['application/json'].schema;
    // one source of truth: exactly what z.toJSONSchema makes of the request schema
    const { $schema: _ignored, ...expected } = CommandTextRequestSchema.toJSONSchema({ io: 'input' }) as Record<string, unknown>;
    expect(commandBody).toMatchObject(expected);
    expect(commandBody.required).toEqual(['text']);
    expect(commandBody.additionalProperties).toBe(false);
    const patch = body.paths['/api/devices/{id}'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(patch.properties)).toEqual(['names', 'area']);
    expect(body.paths['/api/devices/{id}/commands'].post.responses['503']).toBeDefined();
  });
});

describe('removal', () => {
  it('DELETE /api/devices/:id removes one device from every list; its node stays; the token is needed', async () => {
    const before = (await t.api.get('/api/health')).body;
    expect((await t.anon.delete('/api/devices/range_hood')).status).toBe(401);
    const r = await t.api.delete('/api/devices/range_hood');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ deviceId: 'range_hood', nodeId: 'kitchen-hub' });
    expect((await t.api.get('/api/devices/range_hood')).status).toBe(404);
    expect((await t.api.get('/api/devices')).body.devices.map((d: { id: string }) => d.id)).not.toContain('range_hood');
    expect((await t.api.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === 'kitchen-hub').devices).toEqual(['kitchen_light', 'fridge', 'dishwasher']);
    const after = (await t.api.get('/api/health')).body;
    expect(after.devices).toBe(before.devices - 1);
    expect(after.version).toBeGreaterThan(before.version);
    expect((await t.api.delete('/api/devices/range_hood')).status).toBe(404);
  });

  it('DELETE /api/nodes/:id revokes the node, then removes it and its devices from every list, every reply and SQLite', async () => {
    const on = await t.api.post('/api/command', { text: 'turn on the kitchen light' });
    expect(on.body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', ok: true })]);
    expect((await t.api.post('/api/command', { text: 'which lights are on?' })).body.reply).toContain('kitchen light');

    expect((await t.anon.delete('/api/nodes/kitchen-hub')).status).toBe(401);
    const r = await t.api.delete('/api/nodes/kitchen-hub');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ nodeId: 'kitchen-hub', revoked: { nodeId: 'kitchen-hub', credentialsDeleted: ['kitchen-hub'], sessionsClosed: 1 }, devicesRemoved: ['kitchen_light', 'fridge', 'dishwasher'] });

    const gone = ['kitchen_light', 'fridge', 'dishwasher', 'range_hood'];
    expect((await t.api.get('/api/nodes')).body.nodes.map((n: { id: string }) => n.id)).toEqual(['living-room-gateway']);
    const listed = (await t.api.get('/api/devices')).body.devices.map((d: { id: string }) => d.id);
    expect(listed).toEqual(home.devices.filter((d) => d.node === 'living-room-gateway').map((d) => d.id));
    expect((await t.api.get('/api/health')).body).toMatchObject({ nodes: { total: 1, online: 1 }, devices: listed.length });
    // understanding no longer knows them: no reply mentions them, no sentence reaches them
    const lights = await t.api.post('/api/command', { text: 'which lights are on?' });
    expect(lights.body.reply).not.toMatch(/kitchen/i);
    const zh = await t.api.post('/api/command', { text: '哪些灯开着' });
    expect(zh.body.reply).not.toContain('厨房灯');
    const dishwasher = await t.api.post('/api/command', { text: 'start the dishwasher' });
    expect(dishwasher.body.actions).toEqual([]);

    // SQLite holds nothing of them (state and history went with the devices); the removal is remembered and audited
    const db = new Database(join(t.dataDir, 'steward.db'), { readonly: true });
    try {
      const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
      const marks = gone.map(() => '?').join(',');
      expect(count('SELECT COUNT(*) AS n FROM nodes WHERE id = ?', 'kitchen-hub')).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM devices WHERE id IN (${marks}) OR node_id = ?`, ...gone, 'kitchen-hub')).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM device_state WHERE device_id IN (${marks})`, ...gone)).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM state_history WHERE device_id IN (${marks})`, ...gone)).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM mqtt_credentials WHERE username = ?`, 'kitchen-hub')).toBe(0);
    } finally {
      db.close();
    }
    const audit = await t.api.get('/api/audit?kind=node.removed');
    expect(audit.body.entries[0]).toMatchObject({ kind: 'node.removed', subject: 'kitchen-hub', actor: 'admin', detail: { devicesRemoved: ['kitchen_light', 'fridge', 'dishwasher'], revoked: true } });
    expect((await t.api.delete('/api/nodes/kitchen-hub')).status).toBe(404);
    expect((await t.api.delete('/api/nodes/Not_A_Node')).status).toBe(400);
  });
});
