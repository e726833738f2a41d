import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceIdToHomie, encodeValue, fieldToHomie, topics } from '@steward/device-adapters';
import { startMosquitto, type TestMosquitto } from './helpers/mosquitto.ts';
import { benchmarkHome, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';

// The agent against Debian's Mosquitto, driven by Mosquitto's own command-line clients as a third party would.
const run = promisify(execFile);
const NODE = 'living-room-gateway';
const devices = benchmarkHome().devices.filter((d) => d.node === NODE);

describe('agent with Mosquitto and its CLI clients', () => {
  let broker: TestMosquitto;
  let agent: AgentProcess;
  let mqtt: MqttCollector;
  const host = () => ['-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv311'];

  beforeAll(async () => {
    broker = await startMosquitto();
    agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url, { timeScale: 20 }));
    mqtt = await MqttCollector.connect(broker.url, [`homie/5/${NODE}/#`]);
  });

  afterAll(async () => {
    await mqtt?.close();
    await agent?.stop();
    await broker?.stop();
  });

  it("mosquitto_sub -t 'homie/5/#' -v shows the node's state, description and every property", async () => {
    const fields = devices.flatMap((d) => Object.entries(d.state).map(([f, v]) => ({ d: d.id, f, v })));
    // the vacuum also reports its optional remainingMin, absent from the home's initial state: no run under way
    fields.push({ d: 'robot_vacuum', f: 'remainingMin', v: 0 });
    const expected = 2 + fields.length + 1; // $state, $description, the values, the curtain's $target
    // bounded: exits after the retained messages (-C) or after 10 s (-W)
    const { stdout } = await run('mosquitto_sub', [...host(), '-t', 'homie/5/#', '-v', '--retained-only', '-C', String(expected), '-W', '10'], { timeout: 15_000 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(expected);
    const byTopic = new Map(lines.map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    expect(byTopic.get(`homie/5/${NODE}/$state`)).toBe('ready');
    expect(JSON.parse(byTopic.get(`homie/5/${NODE}/$description`)!)).toMatchObject({ homie: '5.0' });
    for (const { d, f, v } of fields) {
      if (v === null) continue; // an empty retained payload is not kept by the broker
      expect(byTopic.get(`homie/5/${NODE}/${deviceIdToHomie(d)}/${fieldToHomie(f)}`)).toBe(encodeValue(v));
    }
    expect(byTopic.get(`homie/5/${NODE}/living-room-curtains/position/$target`)).toBe('0');
  });

  it('mosquitto_pub on /set turns a light on', async () => {
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${NODE}/living-room-light/on/set`, '-m', 'true'], { timeout: 10_000 });
    await mqtt.waitForValue(topics.property(NODE, 'living_room_light', 'on'), (v) => v === 'true');
    const snap = await mqtt.rpc(NODE, 'snapshot');
    expect(snap).toMatchObject({ ok: true, devices: { living_room_light: { state: { on: true } } } });
    // and a third party sees it too
    const { stdout } = await run('mosquitto_sub', [...host(), '-t', `homie/5/${NODE}/living-room-light/on`, '-C', '1', '-W', '5'], { timeout: 10_000 });
    expect(stdout.trim()).toBe('true');
  });

  it('mosquitto_pub on a gradual property echoes the value to $target, then the position follows', async () => {
    await run('mosquitto_pub', [...host(), '-t', `homie/5/${NODE}/living-room-curtains/position/set`, '-m', '40'], { timeout: 10_000 });
    await mqtt.waitForValue(topics.target(NODE, 'living_room_curtains', 'position'), (v) => v === '40');
    await mqtt.waitForValue(topics.property(NODE, 'living_room_curtains', 'position'), (v) => v === '40');
  });

  it('mosquitto_pub of a command over RPC gets a reply on the response topic', async () => {
    const res = `steward/1/${NODE}/rpc/command/res`;
    const sub = run('mosquitto_sub', [...host(), '-t', res, '-C', '1', '-W', '10'], { timeout: 15_000 });
    // give the subscriber a moment to subscribe: retry the request until the reply arrives (same id: no double execution)
    const body = JSON.stringify({ id: 'cli-1', deviceId: 'speaker', command: 'setVolume', params: { volume: 45 } });
    let done = false;
    void sub.finally(() => (done = true));
    for (let i = 0; i < 40 && !done; i++) {
      await run('mosquitto_pub', [...host(), '-t', `steward/1/${NODE}/rpc/command/req`, '-m', body], { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 100));
    }
    const { stdout } = await sub;
    expect(JSON.parse(stdout)).toMatchObject({ id: 'cli-1', ok: true, deviceId: 'speaker', state: { volume: 45 } });
  });
});
