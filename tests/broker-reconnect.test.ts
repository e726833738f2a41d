/**
 * The hub on an external broker that restarts: Debian's Mosquitto is killed (SIGKILL) under a running hub and its
 * demo agent, then started again on the same port. While it is down the hub reports its nodes offline and commands
 * fail at once; once it is back the hub and the agent reconnect by themselves and commands work again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['living-room-gateway']);
let mosquitto: TestMosquitto;
let t: TestHub;

beforeAll(async () => {
  mosquitto = await startMosquitto();
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true, mqttUrl: mosquitto.url, rpcTimeoutMs: 2000 });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await mosquitto?.stop();
});

const node = async () => (await t.api.get('/api/nodes')).body.nodes[0] as { id: string; online: boolean };
const health = async () => (await t.api.get('/api/health')).body as { mqtt: { connected: boolean } };

describe('an external broker that restarts', { timeout: 90_000 }, () => {
  it('commands work before, fail fast while it is down, and work again after it is back', async () => {
    expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'turnOn' })).status).toBe(200);
    const port = mosquitto.port;

    mosquitto.process.signal('SIGKILL');
    await mosquitto.process.exited;
    await waitUntil(async () => !(await health()).mqtt.connected, 'the hub sees the broker gone', 10_000);
    await waitUntil(async () => !(await node()).online, 'the node offline while the broker is down', 10_000);
    const down = await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 20 } });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('NODE_OFFLINE');

    await mosquitto.stop(); // removes the old config folder; the process is gone already
    mosquitto = await startMosquitto({ port });
    await waitUntil(async () => (await health()).mqtt.connected, 'the hub reconnected', 20_000);
    await waitUntil(async () => (await node()).online, 'the node online again', 30_000);

    const r = await t.api.post('/api/command', { text: 'set the living room light to 30 percent' });
    expect(r.status).toBe(200);
    expect(r.body.actions).toContainEqual(expect.objectContaining({ deviceId: 'living_room_light', ok: true, state: expect.objectContaining({ brightness: 30 }) }));
    // what the agent itself reports through the new broker
    const nodes = await NodeReports.connect(mosquitto.url, home);
    try {
      expect((await nodes.snapshot('living-room-gateway')).living_room_light!.state).toMatchObject({ on: true, brightness: 30 });
    } finally {
      await nodes.close();
    }
  });
});
