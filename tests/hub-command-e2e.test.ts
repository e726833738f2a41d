/**
 * One spoken-style command end to end through real parts: HTTP → hub → embedded aedes broker → node-agent processes of
 * the benchmark home → simulated devices → acknowledgement → reply. Assertions read what the nodes published and hold,
 * never what the hub says it set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_HOME, benchmarkHome } from './helpers/agents.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';

let t: TestHub;
let nodes: NodeReports;

beforeAll(async () => {
  t = await startTestHub({ homeFile: BENCHMARK_HOME, demo: true });
  nodes = await NodeReports.connect(t.hub.mqttUrl, benchmarkHome(), await t.mqttAdmin());
}, 90_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

describe('POST /api/command with the benchmark home', () => {
  it('brings up every node of the home as a real process, all online', async () => {
    const { status, body } = await t.api.get('/api/nodes');
    expect(status).toBe(200);
    expect(body.nodes).toHaveLength(benchmarkHome().nodes.length);
    expect(body.nodes.every((n: { online: boolean }) => n.online)).toBe(true);
    // one agent process per node, each alive (signal 0 only checks)
    const pids = [...(t.hub.demo?.nodePids.values() ?? [])];
    expect(pids).toHaveLength(9);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
  });

  it('"turn on the living room light": the node reports the light on', async () => {
    await nodes.waitForValue('living_room_light', 'on', false);
    const { status, body } = await t.api.post('/api/command', { text: 'turn on the living room light' });
    expect(status).toBe(200);
    expect(body.actions).toEqual([expect.objectContaining({ deviceId: 'living_room_light', command: 'turnOn', ok: true })]);
    expect(body.reply).not.toBe('');
    await nodes.waitForValue('living_room_light', 'on', true);
    const held = await nodes.snapshot('living-room-gateway');
    expect(held.living_room_light!.state.on).toBe(true);
    // nothing else on that node moved
    expect(held.floor_lamp!.state.on).toBe(false);
  });

  it('"turn off the kitchen light": the node reports the light off', async () => {
    await nodes.waitForValue('kitchen_light', 'on', true);
    const { status, body } = await t.api.post('/api/command', { text: 'turn off the kitchen light' });
    expect(status).toBe(200);
    expect(body.actions).toEqual([expect.objectContaining({ deviceId: 'kitchen_light', command: 'turnOff', ok: true })]);
    await nodes.waitForValue('kitchen_light', 'on', false);
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.on).toBe(false);
  });

  it('"把空调调到二十四度": the living room AC node reports a target of 24 °C', async () => {
    const { status, body } = await t.api.post('/api/command', { text: '把空调调到二十四度' });
    expect(status).toBe(200);
    const ac = body.actions.find((a: { deviceId: string; command: string }) => a.deviceId === 'living_room_ac' && a.command === 'setTargetTemperature');
    expect(ac).toMatchObject({ ok: true });
    expect(ac.state.targetC).toBe(24);
    await nodes.waitForValue('living_room_ac', 'targetC', 24);
    const held = (await nodes.snapshot('living-room-ac')).living_room_ac!.state;
    expect(held.targetC).toBe(24);
    // an AC told a temperature while off is switched on to run at it
    expect(held.on).toBe(true);
  });

  it('the hub recorded what the nodes acknowledged (GET /api/devices)', async () => {
    const { body } = await t.api.get('/api/devices');
    const byId = Object.fromEntries(body.devices.map((d: { id: string }) => [d.id, d]));
    expect(byId.living_room_light.state.on).toBe(true);
    expect(byId.kitchen_light.state.on).toBe(false);
    expect(byId.living_room_ac.state.targetC).toBe(24);
    expect(t.hub.snapshot().living_room_ac!.targetC).toBe(24);
  });

  it('resetDevices() puts every simulated device back to the home file state, as the nodes report it', async () => {
    const report = await t.hub.resetDevices();
    expect(report.reset).toHaveLength(9);
    await nodes.waitForValue('living_room_light', 'on', false);
    await nodes.waitForValue('kitchen_light', 'on', true);
    await nodes.waitForValue('living_room_ac', 'targetC', 26);
    const snap = t.hub.snapshot();
    for (const d of benchmarkHome().devices) {
      for (const [field, value] of Object.entries(d.state)) {
        if (benchmarkHome().readOnly.includes(field)) continue;
        expect(snap[d.id]![field], `${d.id}.${field}`).toEqual(value);
      }
    }
  });
});
