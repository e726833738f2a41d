import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandResponseSchema,
  DescribeResponseSchema,
  ResetResponseSchema,
  SnapshotResponseSchema,
  topics,
} from '@steward/device-adapters';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { benchmarkHome, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';

// RPC over a real broker to a real agent process hosting the living-room-gateway's simulated devices.
// Time runs 20x faster in the agent, so a curtain's 20 s travel takes about a second.
const NODE = 'living-room-gateway';
const initial = (id: string) => benchmarkHome().devices.find((d) => d.id === id)!.state;
/** what a device reports after a reset: its initial state, and the docked vacuum's remainingMin 0 (no run under way) */
const afterReset = (id: string) => ({ ...initial(id), ...(id === 'robot_vacuum' ? { remainingMin: 0 } : {}) });

describe('agent RPC', () => {
  let broker: TestBroker;
  let agent: AgentProcess;
  let mqtt: MqttCollector;

  beforeAll(async () => {
    broker = await startAedes();
    // the driver module named by its package specifier, as a hand-written config would
    agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url, { timeScale: 20, driverModule: '@steward/simulators/driver-module.ts' }));
    mqtt = await MqttCollector.connect(broker.url, [`homie/5/${NODE}/#`]);
  });

  afterAll(async () => {
    await mqtt?.close();
    await agent?.stop();
    await broker?.stop();
  });

  it('a command changes the device; the reply carries the new state and the property topic follows', async () => {
    const reply = CommandResponseSchema.parse(await mqtt.rpc(NODE, 'command', { deviceId: 'living_room_light', command: 'turnOn' }));
    expect(reply).toMatchObject({ ok: true, deviceId: 'living_room_light', state: { ...initial('living_room_light'), on: true }, targets: {} });
    await mqtt.waitForValue(topics.property(NODE, 'living_room_light', 'on'), (v) => v === 'true');

    const dim = CommandResponseSchema.parse(await mqtt.rpc(NODE, 'command', { deviceId: 'living_room_light', command: 'adjustBrightness', params: { delta: -30 } }));
    expect(dim).toMatchObject({ ok: true, state: { on: true, brightness: 50 } });
    await mqtt.waitForValue(topics.property(NODE, 'living_room_light', 'brightness'), (v) => v === '50');
  });

  it('a curtain reply holds the target while the position moves; $target leads, the position follows', async () => {
    const since = mqtt.messages.length;
    const reply = await mqtt.rpc(NODE, 'command', { deviceId: 'living_room_curtains', command: 'open' });
    expect(reply).toMatchObject({ ok: true, targets: { position: 100 } });
    expect((reply.state as { position: number }).position).toBeLessThan(100);

    const targetTopic = topics.target(NODE, 'living_room_curtains', 'position');
    const positionTopic = topics.property(NODE, 'living_room_curtains', 'position');
    await mqtt.waitForValue(positionTopic, (v) => v === '100');
    const after = mqtt.messages.slice(since).filter((m) => m.topic === targetTopic || m.topic === positionTopic);
    // Homie 5: $target first, then the transition with intermediate values, ending at the target
    expect(after[0]).toMatchObject({ topic: targetTopic, payload: '100' });
    const positions = after.filter((m) => m.topic === positionTopic).map((m) => Number(m.payload));
    expect(positions.length).toBeGreaterThan(2);
    expect(positions.at(-1)).toBe(100);
    expect(mqtt.latest(targetTopic)).toBe('100');

    const snap = SnapshotResponseSchema.parse(await mqtt.rpc(NODE, 'snapshot'));
    expect(snap.ok && snap.devices.living_room_curtains).toEqual({ state: { position: 100 }, targets: {} });
  });

  it('a repeated transaction id is answered from memory, not executed twice', async () => {
    const body = { id: 'txn-repeat-1', deviceId: 'speaker', command: 'adjustVolume', params: { delta: 5 } };
    const first = await mqtt.rpc(NODE, 'command', body);
    const second = await mqtt.rpc(NODE, 'command', body);
    expect(first).toMatchObject({ ok: true, state: { volume: 35 } });
    expect(second).toEqual(first);
    const snap = SnapshotResponseSchema.parse(await mqtt.rpc(NODE, 'snapshot'));
    expect(snap.ok && snap.devices.speaker!.state.volume).toBe(35);
    // a new id executes again
    expect(await mqtt.rpc(NODE, 'command', { ...body, id: 'txn-repeat-2' })).toMatchObject({ ok: true, state: { volume: 40 } });
  });

  it('snapshot reports every device with state and targets', async () => {
    const snap = SnapshotResponseSchema.parse(await mqtt.rpc(NODE, 'snapshot'));
    if (!snap.ok) throw new Error(snap.error.message);
    const ids = benchmarkHome().devices.filter((d) => d.node === NODE).map((d) => d.id);
    expect(Object.keys(snap.devices).sort()).toEqual(ids.sort());
    expect(snap.devices.living_room_sensor).toEqual({ state: initial('living_room_sensor'), targets: {} });
  });

  it('describe returns the node and its device descriptors, marked simulated', async () => {
    const d = DescribeResponseSchema.parse(await mqtt.rpc(NODE, 'describe'));
    if (!d.ok) throw new Error(d.error.message);
    expect(d.node).toMatchObject({ nodeId: NODE, name: 'living room gateway', kind: 'gateway' });
    expect(d.node.devices.map((x) => x.id).sort()).toEqual(benchmarkHome().devices.filter((x) => x.node === NODE).map((x) => x.id).sort());
    expect(d.node.devices.find((x) => x.id === 'living_room_tv')).toBeUndefined();
    expect(d.node.devices.find((x) => x.id === 'robot_vacuum')).toMatchObject({ type: 'vacuum', traits: ['vacuum'], simulated: true });
  });

  it('reset restores initial states (one device or all) and republishes them', async () => {
    await mqtt.rpc(NODE, 'command', { deviceId: 'floor_lamp', command: 'turnOn' });
    const one = ResetResponseSchema.parse(await mqtt.rpc(NODE, 'reset', { deviceId: 'floor_lamp' }));
    expect(one.ok && one.devices).toEqual({ floor_lamp: { state: initial('floor_lamp'), targets: {} } });
    await mqtt.waitForValue(topics.property(NODE, 'floor_lamp', 'on'), (v) => v === 'false');

    const all = ResetResponseSchema.parse(await mqtt.rpc(NODE, 'reset'));
    if (!all.ok) throw new Error(all.error.message);
    for (const [id, s] of Object.entries(all.devices)) expect(s).toEqual({ state: afterReset(id), targets: {} });
    await mqtt.waitForValue(topics.property(NODE, 'living_room_light', 'on'), (v) => v === 'false');
    await mqtt.waitForValue(topics.property(NODE, 'living_room_curtains', 'position'), (v) => v === '0');
    await mqtt.waitForValue(topics.target(NODE, 'living_room_curtains', 'position'), (v) => v === '0');
    await mqtt.waitForValue(topics.property(NODE, 'speaker', 'volume'), (v) => v === '30');
  });
});
