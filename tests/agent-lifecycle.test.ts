import { afterAll, describe, expect, it } from 'vitest';
import { topics } from '@steward/device-adapters';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { simulatedNodeConfig, startAgentProcess } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { freePort } from './helpers/ports.ts';
import { stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

// Homie lifecycle of a real agent process: last will on a crash, `disconnected` on a clean stop, and
// reconnection (with a growing delay) when the broker goes away and comes back.
const NODE = 'bathroom-hub';

/** what a controller that connects now is told: the retained $state */
async function retainedState(url: string): Promise<string> {
  const c = await MqttCollector.connect(url, [topics.state(NODE)]);
  try {
    return (await c.waitFor((m) => m.topic === topics.state(NODE), 5_000, 'retained $state')).payload;
  } finally {
    await c.close();
  }
}

describe('agent lifecycle', () => {
  const brokers: TestBroker[] = [];
  afterAll(async () => {
    await stopAllProcesses();
    for (const b of brokers) await b.stop();
  });

  it('kill -9: the broker publishes the last will, $state becomes lost (retained)', async () => {
    const broker = await startAedes();
    brokers.push(broker);
    const agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url));
    const mqtt = await MqttCollector.connect(broker.url, [topics.state(NODE)]);
    await mqtt.waitForValue(topics.state(NODE), (v) => v === 'ready');
    agent.signal('SIGKILL');
    expect(await agent.exited).toMatchObject({ signal: 'SIGKILL' });
    await mqtt.waitForValue(topics.state(NODE), (v) => v === 'lost');
    await mqtt.close();
    expect(await retainedState(broker.url)).toBe('lost');
  });

  it('SIGTERM: the agent publishes disconnected and exits 0; no last will follows', async () => {
    const broker = await startAedes();
    brokers.push(broker);
    const agent = await startAgentProcess(simulatedNodeConfig(NODE, broker.url));
    const mqtt = await MqttCollector.connect(broker.url, [topics.state(NODE)]);
    await mqtt.waitForValue(topics.state(NODE), (v) => v === 'ready');
    agent.signal('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    await mqtt.waitForValue(topics.state(NODE), (v) => v === 'disconnected');
    expect(await retainedState(broker.url)).toBe('disconnected');
    expect(mqtt.messages.map((m) => m.payload)).not.toContain('lost');
    await mqtt.close();
  });

  it('reconnects with a growing delay after the broker restarts, and announces itself again', async () => {
    const first = await startAedes();
    brokers.push(first);
    const config = simulatedNodeConfig(NODE, first.url, { reconnect: { minMs: 100, maxMs: 800 } });
    const agent = await startAgentProcess(config);
    await first.stop();
    const delays = () =>
      agent.stderr.map((l) => JSON.parse(l) as { msg: string; delayMs?: number }).filter((l) => l.msg === 'reconnecting').map((l) => l.delayMs);
    // the broker stays away long enough for several attempts: the delay doubles up to the cap
    await waitUntil(() => delays().length >= 5, 'five reconnect attempts', 15_000);
    expect(delays().slice(0, 5)).toEqual([100, 200, 400, 800, 800]);

    // a fresh broker on the same port knows nothing: the agent must publish everything again
    const second = await startAedes({ port: first.port });
    brokers.push(second);
    const mqtt = await MqttCollector.connect(second.url, [`homie/5/${NODE}/#`]);
    await mqtt.waitForValue(topics.state(NODE), (v) => v === 'ready', 15_000);
    await mqtt.waitFor((m) => m.topic === topics.description(NODE), 5_000, '$description');
    await mqtt.waitForValue(topics.property(NODE, 'water_heater', 'targetC'), (v) => v === '50');
    const reply = await mqtt.rpc(NODE, 'command', { deviceId: 'bathroom_fan', command: 'turnOn' });
    expect(reply).toMatchObject({ ok: true, state: { on: true } });
    await mqtt.close();
    await agent.stop();
  });

  it('an agent started before its broker keeps trying, and comes up when the broker appears', async () => {
    const port = await freePort();
    const agent = await startAgentProcess(simulatedNodeConfig(NODE, `mqtt://127.0.0.1:${port}`, { reconnect: { minMs: 100, maxMs: 400 } }), { waitReady: false });
    await agent.waitForLine(/"msg":"reconnecting"/, 10_000, 'stderr');
    expect(agent.isRunning()).toBe(true);
    const broker = await startAedes({ port });
    brokers.push(broker);
    await agent.waitForLine(new RegExp(`^ready ${NODE} `), 15_000, 'stdout');
    expect(await retainedState(broker.url)).toBe('ready');
    await agent.stop();
  });
});
