/**
 * Issue 15, found by `npm run bench:faults`: after a kill -9 of the hub, agents waited for their growing reconnect
 * delay (up to 30 s) long after the restarted hub was up; a hub away for 4 s got its agents back 6 s after its
 * restart. The delay is now capped at 2 s by default: a real agent process with the default settings, whose broker
 * is away, retries after 0.5, 1, then every 2 s, and is ready soon after the broker is back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '@steward/node-agent';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { simulatedNodeConfig, startAgentProcess } from './helpers/agents.ts';
import { freePort } from './helpers/ports.ts';
import { stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const NODE = 'bathroom-hub';
let broker: TestBroker | undefined;
afterAll(async () => {
  await stopAllProcesses();
  await broker?.stop();
});

describe("an agent's reconnect delay after its broker went away", () => {
  it('defaults to 0.5 s doubling up to 2 s', () => {
    const config = AgentConfigSchema.parse(simulatedNodeConfig(NODE, 'mqtt://127.0.0.1:1'));
    expect(config.mqtt.reconnect).toEqual({ minMs: 500, maxMs: 2000 });
  });

  it('a real agent retries every 2 s at most while the broker is away, and is ready once it is back', async () => {
    const port = await freePort();
    const agent = await startAgentProcess(simulatedNodeConfig(NODE, `mqtt://127.0.0.1:${port}`), { waitReady: false, logLevel: 'info' });
    const delays = () => agent.stderr.filter((l) => l.includes('"msg":"reconnecting"')).map((l) => (JSON.parse(l) as { delayMs: number }).delayMs);
    await waitUntil(() => delays().length >= 5, 'five reconnect attempts', 20_000);
    expect(delays().slice(0, 5)).toEqual([500, 1000, 2000, 2000, 2000]);
    broker = await startAedes({ port });
    await agent.waitForLine(new RegExp(`^ready ${NODE} `), 10_000, 'stdout');
    expect(Math.max(...delays())).toBe(2000);
    await agent.stop();
  }, 40_000);
});
