import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandResponseSchema, LIMITS, RPC_ROOT, topics } from '@steward/device-adapters';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { AGENT_BIN, benchmarkHome, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { startProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

// Every kind of bad input gets a clear error reply (or, without an id to answer, a log line), and the agent keeps
// serving valid requests.
const NODE = 'living-room-gateway';
const LIGHT = 'living_room_light';

describe('agent bad input', () => {
  let broker: TestBroker;
  let agent: AgentProcess;
  let mqtt: MqttCollector;

  const command = async (body: Record<string, unknown>) => CommandResponseSchema.parse(await mqtt.rpc(NODE, 'command', body));
  const raw = (payload: string | Buffer, id: string, method = 'command') => mqtt.rpcRaw(NODE, method, payload, id);
  const logs = () => agent.stderr.map((l) => JSON.parse(l) as { msg: string; level: number; [k: string]: unknown });

  beforeAll(async () => {
    broker = await startAedes();
    agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url));
    mqtt = await MqttCollector.connect(broker.url, [`homie/5/${NODE}/#`]);
  });

  afterAll(async () => {
    await mqtt?.close();
    await agent?.stop();
    await broker?.stop();
  });

  it('unknown command', async () => {
    expect(await command({ deviceId: LIGHT, command: 'fly' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'unknown command fly' } });
  });

  it('a command of a trait the device lacks', async () => {
    const r = await command({ deviceId: LIGHT, command: 'setColor', params: { hue: 120 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_COMMAND' } });
  });

  it('unknown device', async () => {
    const r = await command({ deviceId: 'garage_door', command: 'turnOn' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_DEVICE', message: `node ${NODE} has no device garage_door` } });
  });

  it('out-of-range value, naming the range; the state does not change', async () => {
    const r = await command({ deviceId: LIGHT, command: 'setBrightness', params: { brightness: 150 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'OUT_OF_RANGE', message: 'Brightness must be between 0 % and 100 %, got 150 %' } });
    const k = await command({ deviceId: LIGHT, command: 'setColorTemperature', params: { kelvin: 9000 } });
    expect(k).toMatchObject({ ok: false, error: { code: 'OUT_OF_RANGE' } });
    expect(mqtt.latest(topics.property(NODE, LIGHT, 'brightness'))).toBe('80');
  });

  it('wrong parameter types and unknown parameters', async () => {
    const r = await command({ deviceId: LIGHT, command: 'setBrightness', params: { brightness: 'bright' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/invalid parameters for setBrightness: brightness/);
    expect(await command({ deviceId: LIGHT, command: 'turnOn', params: { now: true } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('malformed JSON with a recoverable id gets BAD_REQUEST', async () => {
    const r = await raw('{"id": "bad-json-1", "deviceId": "living_room_light", "command": ', 'bad-json-1');
    expect(r).toMatchObject({ id: 'bad-json-1', ok: false, error: { code: 'BAD_REQUEST' } });
    expect((r.error as { message: string }).message).toMatch(/^malformed JSON/);
  });

  it('schema-invalid requests get BAD_REQUEST naming the problem', async () => {
    const missing = await raw(JSON.stringify({ id: 'schema-1', deviceId: LIGHT }), 'schema-1');
    expect(missing).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((missing.error as { message: string }).message).toMatch(/command/);
    const extra = await raw(JSON.stringify({ id: 'schema-2', deviceId: LIGHT, command: 'turnOn', please: true }), 'schema-2');
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const badId = await raw(JSON.stringify({ id: 'schema-3', deviceId: 'Living-Room', command: 'turnOn' }), 'schema-3');
    expect(badId).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const unknownMethod = await raw(JSON.stringify({ id: 'method-1' }), 'method-1', 'explode');
    expect(unknownMethod).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it(`an oversized payload (> ${LIMITS.rpcPayloadBytes} bytes) gets PAYLOAD_TOO_LARGE when its id can be found`, async () => {
    const big = JSON.stringify({ id: 'big-1', deviceId: LIGHT, command: 'turnOn', params: { pad: 'x'.repeat(LIMITS.rpcPayloadBytes) } });
    const r = await raw(big, 'big-1');
    expect(r).toMatchObject({ id: 'big-1', ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(mqtt.latest(topics.property(NODE, LIGHT, 'on'))).toBe('false');
  });

  // refusals are rejections (issue 15): counted by kind, logged once per topic and kind within a window, then summed
  const rejected = (from: number) => logs().slice(from).filter((l) => typeof l.rejection === 'string');

  it('requests without a usable id are dropped, logged with the node id as rejections', async () => {
    const before = logs().length;
    await mqtt.client.publishAsync(`${RPC_ROOT}/${NODE}/rpc/command/req`, 'definitely not json', { qos: 1 });
    await mqtt.client.publishAsync(`${RPC_ROOT}/${NODE}/rpc/command/req`, Buffer.alloc(LIMITS.rpcPayloadBytes + 10, 0x20), { qos: 1 });
    await mqtt.client.publishAsync(`${RPC_ROOT}/${NODE}/rpc/snapshot/req`, JSON.stringify({ id: 42 }), { qos: 1 });
    // the snapshot topic's first rejection is logged at once; the command topic's window was opened by the tests above
    const dropped = await waitUntil(() => {
      const d = rejected(before).filter((l) => l.msg.startsWith('rejected: dropped an RPC request without a usable id'));
      return d.length >= 1 && d;
    }, 'a dropped-request log line');
    for (const l of dropped) expect(l).toMatchObject({ nodeId: NODE, level: 40, rejection: 'rpc-request' });
    expect(dropped.find((l) => l.source === 'rpc snapshot')).toMatchObject({ code: 'BAD_REQUEST', method: 'snapshot' });
  });

  it('bad Homie /set values are ignored, logged once per property as rejections; read-only properties are not settable', async () => {
    const before = logs().length;
    const set = (device: string, field: string, payload: string) => mqtt.client.publishAsync(topics.set(NODE, device, field), payload, { qos: 1 });
    await set(LIGHT, 'brightness', 'very');
    await set(LIGHT, 'brightness', '150');
    await set('living_room_sensor', 'temperatureC', '20');
    await set('garage_door', 'on', 'true');
    const ignored = await waitUntil(() => {
      const d = rejected(before).filter((l) => l.rejection === 'set');
      return d.length === 3 && d;
    }, 'three /set rejection lines, one per property');
    // the second bad brightness is counted in its property's window, summed when the window ends (or at the stop)
    expect(ignored.map((l) => [l.source, l.msg]).sort()).toEqual([
      ['set garage_door/on', 'rejected: ignored /set for unknown device garage_door'],
      ['set living_room_light/brightness', 'rejected: ignored /set: not a valid integer'],
      ['set living_room_sensor/temperatureC', 'rejected: ignored /set: temperatureC is not settable'],
    ]);
    expect(mqtt.latest(topics.property(NODE, LIGHT, 'brightness'))).toBe('80');
    expect(mqtt.latest(topics.property(NODE, 'living_room_sensor', 'temperatureC'))).toBe('29');
  });

  it('after all that, the agent is still running and executes a valid command', async () => {
    expect(agent.isRunning()).toBe(true);
    const r = await command({ deviceId: LIGHT, command: 'turnOn' });
    expect(r).toMatchObject({ ok: true, state: { ...benchmarkHome().devices.find((d) => d.id === LIGHT)!.state, on: true } });
    await mqtt.waitForValue(topics.property(NODE, LIGHT, 'on'), (v) => v === 'true');
  });

  it('every refusal above is counted: the stop logs the totals, and every one is in a line (logged or summed)', async () => {
    await agent.stop();
    const stopped = logs().find((l) => l.msg === 'agent stopped')!;
    expect(stopped.rejections).toEqual({ 'rpc-request': 9, 'rpc-refused': 7, set: 4 });
    const all = logs().filter((l) => typeof l.rejection === 'string');
    for (const kind of ['rpc-request', 'rpc-refused', 'set']) {
      expect(all.filter((l) => l.rejection === kind).reduce((n, l) => n + ((l.count as number | undefined) ?? 1), 0), kind).toBe((stopped.rejections as Record<string, number>)[kind]);
    }
    expect(all.find((l) => l.source === 'set living_room_light/brightness' && l.count === 1)!.msg).toBe(
      'rejected 1 more (set from set living_room_light/brightness); last: ignored /set: Brightness must be between 0 % and 100 %, got 150 %',
    );
  });
});

describe('agent config errors', () => {
  it('a bad config file is refused at start with every problem listed', async () => {
    const config = simulatedNodeConfig(NODE, 'http://example');
    config.devices![0]!.state = { ...config.devices![0]!.state, brightness: 300 };
    config.devices![1]!.descriptor.id = config.devices![0]!.descriptor.id;
    const file = join(mkdtempSync(join(tmpdir(), 'steward-agent-bad-')), 'agent.json');
    writeFileSync(file, JSON.stringify(config));
    const p = startProcess(process.execPath, [AGENT_BIN, 'start', '--config', file]);
    expect((await p.exited).code).toBe(1);
    const err = p.stderr.join('\n');
    expect(err).toContain(`invalid agent config ${file}:`);
    expect(err).toContain('mqtt.url: must be a URL such as mqtt://127.0.0.1:1883');
    expect(err).toContain('devices.0.state: living_room_light: brightness must be between 0 and 100');
    expect(err).toContain('devices.1.descriptor.id: duplicate device id living_room_light');
  });

  it('a missing --config is a usage error', async () => {
    const p = startProcess(process.execPath, [AGENT_BIN, 'start']);
    expect((await p.exited).code).toBe(2);
    expect(p.stderr[0]).toBe('steward-agent: --config FILE is required');
  });
});
