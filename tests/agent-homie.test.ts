import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HomieDescriptionSchema, decodeValue, fieldsOf, fieldToHomie, deviceIdToHomie, encodeValue, topics } from '@steward/device-adapters';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { benchmarkHome, simulatedNodeConfig, startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';

// A real agent process (living-room-gateway: 8 simulated devices) against a real aedes broker on loopback.
const NODE = 'living-room-gateway';

describe('agent publishes a Homie 5 device', () => {
  let broker: TestBroker;
  let agent: AgentProcess;
  let mqtt: MqttCollector;
  const devices = benchmarkHome().devices.filter((d) => d.node === NODE);

  beforeAll(async () => {
    broker = await startAedes();
    // the file names a port nothing listens on: the --url flag wins
    agent = await startAgentProcess(simulatedNodeConfig(NODE, 'mqtt://127.0.0.1:9'), { args: ['--url', broker.url] });
    // subscribing after the agent is ready: everything must come back as retained messages
    mqtt = await MqttCollector.connect(broker.url, [`homie/5/${NODE}/#`]);
  });

  afterAll(async () => {
    await mqtt?.close();
    await agent?.stop();
    await broker?.stop();
  });

  it('announces $state ready, retained', async () => {
    const m = await mqtt.waitFor((x) => x.topic === topics.state(NODE), 10_000, '$state');
    expect(m.payload).toBe('ready');
    expect(m.retain).toBe(true);
  });

  it('publishes a $description that conforms to Homie 5 and lists every device and field', async () => {
    const m = await mqtt.waitFor((x) => x.topic === topics.description(NODE), 10_000, '$description');
    expect(m.retain).toBe(true);
    const description = HomieDescriptionSchema.parse(JSON.parse(m.payload));
    expect(description.homie).toBe('5.0');
    expect(Object.keys(description.nodes).sort()).toEqual(devices.map((d) => deviceIdToHomie(d.id)).sort());

    const light = description.nodes['living-room-light']!;
    expect(light.type).toBe('steward:light');
    expect(Object.keys(light.properties).sort()).toEqual(['brightness', 'color-temp-k', 'on']);
    expect(light.properties['color-temp-k']).toMatchObject({ datatype: 'integer', format: '2700:6500', unit: 'K', settable: true, retained: true });
    expect(light.properties.on).toMatchObject({ datatype: 'boolean', settable: true });
    expect(description.nodes['robot-vacuum']!.properties.status).toMatchObject({ datatype: 'enum', format: 'docked,cleaning,paused,returning' });
    // measured values are not settable
    expect(description.nodes['robot-vacuum']!.properties['battery-pct']).toMatchObject({ settable: false, unit: '%' });
    expect(description.nodes['living-room-sensor']!.properties['temperature-c']).toMatchObject({ datatype: 'float', settable: false });
  });

  it('publishes every property value retained, decodable with its field spec', async () => {
    for (const d of devices) {
      const specs = fieldsOf(d);
      for (const [field, value] of Object.entries(d.state)) {
        const topic = topics.property(NODE, d.id, field);
        expect(topic).toBe(`homie/5/${NODE}/${deviceIdToHomie(d.id)}/${fieldToHomie(field)}`);
        const m = await mqtt.waitFor((x) => x.topic === topic, 10_000, topic);
        expect(m.retain).toBe(true);
        expect(m.payload).toBe(encodeValue(value));
        expect(decodeValue(specs[field]!, m.payload)).toEqual(value);
      }
    }
  });

  it('publishes $target for gradual properties from the start (Homie 5: every value update has one)', async () => {
    const m = await mqtt.waitFor((x) => x.topic === topics.target(NODE, 'living_room_curtains', 'position'), 10_000, 'curtain $target');
    expect(m.payload).toBe('0');
    expect(m.retain).toBe(true);
    // only gradual fields carry $target
    expect(mqtt.find((x) => x.topic.endsWith('/$target') && !x.topic.endsWith('/position/$target'))).toBeUndefined();
  });

  it('logs JSON to stderr with the node id, and keeps stdout for its ready line', () => {
    expect(agent.stdout[0]).toMatch(new RegExp(`^ready ${NODE} ${devices.length} devices mqtt://127\\.0\\.0\\.1:\\d+$`));
    const ready = agent.stderr.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'ready');
    expect(ready).toMatchObject({ nodeId: NODE, devices: devices.length });
  });
});
