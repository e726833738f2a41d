/**
 * A discovery module whose start() throws does not take the node down: the agent logs a clear error naming the
 * module and carries on with its configured devices and its other discovery modules; the hub sees the node online,
 * commands reach its configured device and what the working module found waits for adoption. Real hub (embedded
 * broker, SQLite), a real node-agent process.
 */
import { resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Home } from '@steward/device-adapters';
import { agentConfigForNode } from '@steward/simulators';
import { startAgentProcess, type AgentProcess } from './helpers/agents.ts';
import { ADOPTION_HOME, DISCOVERY_NODE, discoveryNodeConfig } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const FAILING = resolve(import.meta.dirname, 'fixtures', 'failing-discovery.mjs');
const home: Home = {
  ...ADOPTION_HOME,
  devices: [
    { id: 'hall_light', node: DISCOVERY_NODE, area: 'hallway', type: 'light', names: { en: ['hall light'], zh: ['走廊灯'] }, traits: ['onOff'], attributes: {}, confirm: [], state: { on: false } },
  ],
};

let t: TestHub;
let agent: AgentProcess;
let dataDir: string;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home) });
  const base = discoveryNodeConfig(t.hub.mqttUrl, await t.provisionNodes([DISCOVERY_NODE]));
  dataDir = base.dataDir!;
  const config = {
    ...base,
    // the configured device, as the simulator hosts a home's devices
    devices: agentConfigForNode(home, DISCOVERY_NODE, { url: t.hub.mqttUrl }).devices!,
    // the failing module first: the one after it still starts
    discovery: [{ module: FAILING, options: {} }, ...base.discovery!],
  };
  agent = await startAgentProcess(config);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await t?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a discovery module that fails to start', { timeout: 60_000 }, () => {
  it('is logged with its name, and the agent is ready with its configured device', () => {
    expect(agent.stdout.find((l) => l.startsWith(`ready ${DISCOVERY_NODE} `))).toMatch(new RegExp(`^ready ${DISCOVERY_NODE} 1 devices`));
    const errors = agent.stderr.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    }).filter((l) => l.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        component: 'discovery',
        module: FAILING,
        ecosystem: 'broken',
        err: 'cannot open /dev/ttyUSB9: no such device',
        msg: `the discovery module ${FAILING} failed to start; the node carries on without it (restart the agent to try again)`,
      }),
    ]);
  });

  it('the hub sees the node online; its configured device takes commands; the other module\'s finds wait for adoption', async () => {
    await t.hub.waitForNodes([DISCOVERY_NODE], 20_000);
    expect((await t.api.get('/api/nodes')).body.nodes).toEqual([expect.objectContaining({ id: DISCOVERY_NODE, online: true })]);
    const c = await t.api.post('/api/command', { text: 'turn on the hall light' });
    expect(c.body.actions).toMatchObject([{ deviceId: 'hall_light', command: 'turnOn', ok: true, state: { on: true } }]);
    const keys = await waitUntil(async () => {
      const list = ((await t.api.get('/api/adoptions')).body.adoptions as { key: string; ecosystem: string }[]).map((a) => `${a.ecosystem}:${a.key}`).sort();
      return list.length === 4 && list;
    }, 'the simulated ecosystem\'s finds', 15_000);
    expect(keys).toEqual(['sim:lamp-1', 'sim:lock-1', 'sim:plug-1', 'sim:sensor-1']);
  });
});
