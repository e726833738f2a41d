/**
 * The hub on an external broker (Debian's Mosquitto, started by the test on a free loopback port): no embedded
 * broker starts, and a command goes end to end through Mosquitto to a real node-agent process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { freePort } from './helpers/ports.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['living-room-gateway']);
let mosquitto: TestMosquitto;
let t: TestHub;
let nodes: NodeReports;
let unusedMqttPort: number;

beforeAll(async () => {
  mosquitto = await startMosquitto();
  unusedMqttPort = await freePort();
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true, mqttUrl: mosquitto.url, mqttPort: unusedMqttPort });
  nodes = await NodeReports.connect(mosquitto.url, home);
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
  await mosquitto?.stop();
});

describe('--mqtt-url with Mosquitto', () => {
  it('uses the external broker and starts no embedded one', async () => {
    expect(t.hub.mqttUrl).toBe(mosquitto.url);
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(unusedMqttPort, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect((await t.api.get('/api/nodes')).body.nodes[0]).toMatchObject({ id: 'living-room-gateway', online: true });
  });

  it('a spoken command goes end to end through Mosquitto', async () => {
    const r = await t.api.post('/api/command', { text: 'turn on the living room light' });
    expect(r.status).toBe(200);
    expect(r.body.actions).toEqual([expect.objectContaining({ deviceId: 'living_room_light', ok: true })]);
    await nodes.waitForValue('living_room_light', 'on', true);
    expect((await nodes.snapshot('living-room-gateway')).living_room_light!.state.on).toBe(true);
  });

  it('a node killed behind Mosquitto goes offline through its last will', async () => {
    const pid = t.hub.demo!.nodePids.get('living-room-gateway')!;
    process.kill(pid, 'SIGKILL');
    await waitUntil(async () => !(await t.api.get('/api/nodes')).body.nodes[0].online, 'living-room-gateway offline', 15_000);
    const r = await t.api.post('/api/devices/living_room_light/commands', { command: 'turnOff' });
    expect(r.status).toBe(503);
  });
});
