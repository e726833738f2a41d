/**
 * Bad input from every side: HTTP bodies, direct commands the device cannot take, MQTT payloads that no node should
 * send, a packet over the broker's limit, a node that never answers and one that died. The hub answers each with a
 * clear error or drops it with a log line, keeps running, and loses no state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { topics } from '@steward/device-adapters';
import { SIM_BIN } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { startProcess, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

// the hub knows three nodes; only two run: bathroom-hub is a node that says "ready" and then never answers
const registryHome = subsetHome(['living-room-gateway', 'kitchen-hub', 'bathroom-hub']);
const runningHome = subsetHome(['living-room-gateway', 'kitchen-hub']);
const RPC_TIMEOUT_MS = 600;
const MAX_PACKET = 64 * 1024;

let t: TestHub;
let sim: ManagedProcess;
let nodes: NodeReports;
let fake: MqttCollector;
let admin: { username: string; password: string };

const dropped = async (): Promise<number> => (await t.api.get('/api/health')).body.mqtt.dropped;
const device = async (id: string) => (await t.api.get(`/api/devices/${id}`)).body;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(registryHome), rpcTimeoutMs: RPC_TIMEOUT_MS, maxPacketBytes: MAX_PACKET });
  // the running nodes get per-node credentials as the demo's do; bathroom-hub has none (it never connects)
  const credentials = await t.provisionNodes(runningHome.nodes.map((n) => n.id));
  sim = startProcess(process.execPath, [SIM_BIN, 'home', writeHomeFile(runningHome), '--hub', t.hub.mqttUrl, '--credentials', credentials]);
  await sim.waitForLine(/^fleet ready/, 60_000, 'stdout');
  await t.hub.waitForNodes(['living-room-gateway', 'kitchen-hub'], 20_000);
  admin = await t.mqttAdmin();
  nodes = await NodeReports.connect(t.hub.mqttUrl, registryHome, admin);
  await nodes.collector.subscribe(['steward/1/+/rpc/+/req']);
  // speaks for nodes that misbehave: only the admin role may publish under another node's topics
  fake = await MqttCollector.connect(t.hub.mqttUrl, [], admin);
  // a known good state to protect: the light on at 40 %
  expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'turnOn' })).status).toBe(200);
  expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 40 } })).status).toBe(200);
  await nodes.waitForValue('living_room_light', 'brightness', 40);
}, 90_000);

afterAll(async () => {
  await fake?.close();
  await nodes?.close();
  await sim?.stop();
  await t?.stop();
});

describe('invalid HTTP bodies get 400 with a message naming the field', () => {
  it.each([
    ['an empty object', {}, /text/],
    ['text of the wrong type', { text: 5 }, /body\.text/],
    ['an empty text', { text: '   ' }, /text is empty/],
    ['an unknown field', { text: 'hi', volume: 3 }, /volume/],
    ['a bad area id', { text: 'turn on the light', area: 'Living Room!' }, /body\.area/],
  ])('POST /api/command with %s', async (_what, body, message) => {
    const r = await t.api.post('/api/command', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(r.body.error.message).toMatch(message);
  });

  it('malformed JSON is 400 and an oversized body 413, in the same error shape', async () => {
    const bad = await t.api.raw('POST', '/api/command', '{"text": "turn on');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/JSON/) });
    const huge = await t.api.post('/api/command', { text: 'x'.repeat(64 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const notJson = await t.api.raw('POST', '/api/command', 'text=hello', 'text/plain');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/expected object/) });
  });

  it('PATCH with an unknown area or an empty name is 400; an unknown route 404', async () => {
    const area = await t.api.patch('/api/devices/living_room_light', { area: 'moon_base' });
    expect(area.status).toBe(400);
    expect(area.body.error.message).toMatch(/area.*moon_base/);
    const empty = await t.api.patch('/api/devices/living_room_light', { names: { en: [''] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body\.names\.en\.0/);
    const route = await t.api.get('/api/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('NOT_FOUND');
  });
});

describe('direct commands the device cannot take are refused before anything is sent', () => {
  it('out of range, unknown command, missing trait, bad params: 400; unknown device: 404', async () => {
    const requestsBefore = nodes.collector.messages.filter((m) => m.topic.endsWith('/req')).length;
    const cases = [
      { path: '/api/devices/living_room_light/commands', body: { command: 'setBrightness', params: { brightness: 150 } }, status: 400, code: 'OUT_OF_RANGE', message: /between 0 % and 100 %/ },
      { path: '/api/devices/living_room_light/commands', body: { command: 'fly' }, status: 400, code: 'UNKNOWN_COMMAND', message: /fly/ },
      { path: '/api/devices/living_room_light/commands', body: { command: 'setPosition', params: { position: 5 } }, status: 400, code: 'UNSUPPORTED_COMMAND', message: /living_room_light/ },
      { path: '/api/devices/living_room_light/commands', body: { command: 'setBrightness', params: { level: 5 } }, status: 400, code: 'BAD_REQUEST', message: /brightness/ },
      { path: '/api/devices/living_room_light/commands', body: { params: {} }, status: 400, code: 'BAD_REQUEST', message: /body\.command/ },
      { path: '/api/devices/jacuzzi/commands', body: { command: 'turnOn' }, status: 404, code: 'UNKNOWN_DEVICE', message: /jacuzzi/ },
    ];
    for (const c of cases) {
      const r = await t.api.post(c.path, c.body);
      expect(r.status, JSON.stringify(c.body)).toBe(c.status);
      expect(r.body.error.code).toBe(c.code);
      expect(r.body.error.message).toMatch(c.message);
    }
    // a valid command goes out, so a refused one would have been seen too
    expect((await t.api.post('/api/devices/floor_lamp/commands', { command: 'turnOn' })).status).toBe(200);
    await waitUntil(() => nodes.collector.messages.filter((m) => m.topic.endsWith('/req')).length > requestsBefore, 'the valid request');
    expect(nodes.collector.messages.filter((m) => m.topic.endsWith('/req')).length).toBe(requestsBefore + 1);
    expect((await device('living_room_light')).state).toMatchObject({ on: true, brightness: 40 });
  });
});

describe('bad MQTT payloads from a node are dropped; the last good state stays', () => {
  const light = (field: string) => topics.property('living-room-gateway', 'living_room_light', field);
  it.each([
    ['a malformed boolean', light('on'), 'maybe'],
    ['an out-of-range brightness', light('brightness'), '150'],
    ['a float for an integer', light('brightness'), '40.5'],
    ['an unknown field', light('flux-capacity'), '1'],
    ['an unknown device', topics.property('living-room-gateway', 'hot_tub', 'on'), 'true'],
    ['a device of another node', topics.property('kitchen-hub', 'living_room_light', 'on'), 'false'],
    ['an oversized value', light('on'), 'x'.repeat(4096)],
    ['a $state that is not a Homie state', topics.state('living-room-gateway'), 'exploded'],
    ['a malformed $target', topics.target('living-room-gateway', 'living_room_curtains', 'position'), 'halfway'],
  ])('%s', async (_what, topic, payload) => {
    const before = await dropped();
    await fake.client.publishAsync(topic, payload, { qos: 1 });
    await waitUntil(async () => (await dropped()) > before, `the hub to drop ${topic}`);
    const d = await device('living_room_light');
    expect(d.state).toMatchObject({ on: true, brightness: 40 });
    expect(d.online).toBe(true);
    // the node itself never changed (its own snapshot: the topic now carries the fake payload)
    expect((await nodes.snapshot('living-room-gateway')).living_room_light!.state).toMatchObject({ on: true, brightness: 40 });
  });

  it('garbage on an RPC response topic is ignored and commands keep working', async () => {
    await fake.client.publishAsync('steward/1/living-room-gateway/rpc/command/res', '{not json', { qos: 1 });
    await fake.client.publishAsync('steward/1/living-room-gateway/rpc/command/res', JSON.stringify({ id: 'nobody-asked', ok: true }), { qos: 1 });
    const r = await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 45 } });
    expect(r.status).toBe(200);
    expect(r.body.state.brightness).toBe(45);
    await nodes.waitForValue('living_room_light', 'brightness', 45);
  });

  it('a packet over the broker limit closes that client only; the hub stays connected', async () => {
    const rogue = await connectAsync(t.hub.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, clientId: 'rogue-node', ...admin });
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish(topics.property('living-room-gateway', 'living_room_light', 'on'), Buffer.alloc(MAX_PACKET + 1024, 0x61), { qos: 0 });
    await closed;
    rogue.end(true);
    const health = await t.api.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.mqtt.connected).toBe(true);
    expect((await device('living_room_light')).state).toMatchObject({ on: true, brightness: 45 });
  });
});

describe('nodes that cannot answer', () => {
  it('a node that is online but silent: 504 TIMEOUT naming the device and the node', async () => {
    await fake.client.publishAsync(topics.state('bathroom-hub'), 'ready', { qos: 1 });
    await waitUntil(async () => (await device('bathroom_fan')).online, 'bathroom-hub online');
    const r = await t.api.post('/api/devices/bathroom_fan/commands', { command: 'turnOn' });
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe('TIMEOUT');
    expect(r.body.error.message).toMatch(/bathroom_fan/);
    expect(r.body.error.message).toMatch(/bathroom-hub/);
    // through language too: the action carries the error
    const said = await t.api.post('/api/command', { text: 'turn on the bathroom fan' });
    expect(said.status).toBe(200);
    expect(said.body.actions[0]).toMatchObject({ deviceId: 'bathroom_fan', ok: false, error: { code: 'TIMEOUT' } });
  });

  it('a node whose agent died: its last will makes it offline, and commands fail at once with 503', async () => {
    const line = await sim.waitForLine(/^ready kitchen-hub \d+ devices pid \d+$/, 1000, 'stdout');
    const pid = Number(line.split(' ').pop());
    process.kill(pid, 'SIGKILL');
    await waitUntil(async () => !(await device('kitchen_light')).online, 'kitchen-hub offline');
    const r = await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' });
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'NODE_OFFLINE', message: expect.stringMatching(/kitchen_light.*kitchen-hub/) });
    // the last known state is kept while offline
    expect((await device('kitchen_light')).state).toMatchObject({ on: true, brightness: 100 });
  });
});

describe('after all of it', () => {
  it('the hub still answers, lost no state, and a command still goes end to end', async () => {
    const health = await t.api.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.mqtt.dropped).toBeGreaterThanOrEqual(9);
    expect((await device('living_room_light')).state).toMatchObject({ on: true, brightness: 45 });
    expect((await device('floor_lamp')).state.on).toBe(true);
    const r = await t.api.post('/api/command', { text: 'turn off the living room light' });
    expect(r.status).toBe(200);
    expect(r.body.actions[0]).toMatchObject({ deviceId: 'living_room_light', ok: true });
    await nodes.waitForValue('living_room_light', 'on', false);
  });
});
