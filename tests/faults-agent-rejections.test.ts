/**
 * Issue 15: rejections visible but bounded on the agents too. A real agent process gets 1,000 undecodable RPC
 * requests and 1,000 bad Homie /set messages on two topics: it writes a few lines (the first per topic and kind,
 * then a summary per window), not 2,000; every refusal is in a line, logged or summed; the totals are logged when it
 * stops; and it still executes a valid command.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CommandResponseSchema, RPC_ROOT, topics } from '@steward/device-adapters';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { simulatedNodeConfig, startAgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { stopAllProcesses } from './helpers/processes.ts';

const NODE = 'living-room-gateway';
let broker: TestBroker | undefined;
let mqtt: MqttCollector | undefined;
afterAll(async () => {
  await mqtt?.close();
  await stopAllProcesses();
  await broker?.stop();
});

describe('a flood of bad input to a real agent', () => {
  it('2,000 refusals write a bounded log, all counted', async () => {
    broker = await startAedes();
    const agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url), { logLevel: 'warn' });
    mqtt = await MqttCollector.connect(broker.url, [`homie/5/${NODE}/#`]);
    const started = Date.now();
    for (let i = 0; i < 500; i++) {
      await mqtt.client.publishAsync(`${RPC_ROOT}/${NODE}/rpc/command/req`, `not json ${i}`, { qos: 1 });
      await mqtt.client.publishAsync(`${RPC_ROOT}/${NODE}/rpc/snapshot/req`, JSON.stringify({ id: i }), { qos: 1 });
      await mqtt.client.publishAsync(topics.set(NODE, 'living_room_light', 'brightness'), `very ${i}`, { qos: 1 });
      await mqtt.client.publishAsync(topics.set(NODE, 'garage_door', 'on'), 'true', { qos: 1 });
    }
    // still serving: and, answered after them, proof that all 2,000 were handled
    const ok = CommandResponseSchema.parse(await mqtt.rpc(NODE, 'command', { deviceId: 'living_room_light', command: 'turnOn' }));
    expect(ok).toMatchObject({ ok: true, state: { on: true } });
    await agent.stop();
    const windows = Math.ceil((Date.now() - started) / 10_000) + 1;

    const lines = agent.stderr.map((l) => JSON.parse(l) as { msg: string; rejection?: string; source?: string; count?: number; rejections?: Record<string, number> });
    expect(lines.find((l) => l.msg === 'rejected since start')?.rejections).toEqual({ 'rpc-request': 1000, 'rpc-refused': 0, set: 1000 });
    const rejections = lines.filter((l) => l.rejection);
    // four (kind, topic) pairs, each: its first line, then at most one summary per window
    expect(rejections.length).toBeLessThanOrEqual(4 * 2 * windows);
    for (const source of ['rpc command', 'rpc snapshot', 'set living_room_light/brightness', 'set garage_door/on']) {
      expect(rejections.filter((l) => l.source === source).reduce((n, l) => n + (l.count ?? 1), 0), source).toBe(500);
    }
    // nothing else per input: the rejections, the totals line, and little else
    expect(lines.length).toBeLessThan(rejections.length + 5);
  }, 120_000);
});
