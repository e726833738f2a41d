/**
 * The demo heals itself: each node is its own `steward-agent` process, named so on its command line, and an agent
 * killed with SIGKILL is started again by the simulator's supervisor (with backoff, and logged by the hub), comes
 * back online and takes commands. Real hub, real embedded broker, real agent processes.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { NodeReports } from './helpers/hub-nodes.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { waitUntil } from './helpers/wait.ts';

const home = subsetHome(['living-room-gateway', 'kitchen-hub']);
const logs: Record<string, unknown>[] = [];
let t: TestHub;
let nodes: NodeReports;

/** the hub's log lines, parsed (its logger writes here instead of stdout) */
const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

/** `ps`'s view of a process's command line; undefined once it is gone */
function commandLine(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true }, { logger });
  nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

describe('supervised demo agents', { timeout: 90_000 }, () => {
  it('each node runs as its own steward-agent process whose command line names the node', () => {
    const pids = t.hub.demo!.nodePids;
    expect([...pids.keys()].sort()).toEqual(['kitchen-hub', 'living-room-gateway']);
    expect(new Set(pids.values()).size).toBe(2);
    for (const [nodeId, pid] of pids) {
      const args = commandLine(pid);
      expect(args).toMatch(/^steward-agent /);
      expect(args).toContain(`--node ${nodeId} `);
    }
  });

  it('a kill -9ed agent is started again by itself: new PID, node online again, commands work, the hub logs it', async () => {
    const oldPid = t.hub.demo!.nodePids.get('kitchen-hub')!;
    process.kill(oldPid, 'SIGKILL');
    const newPid = await waitUntil(() => {
      const p = t.hub.demo!.nodePids.get('kitchen-hub');
      return p !== oldPid && p;
    }, 'a new kitchen-hub agent', 20_000);
    expect(alive(oldPid)).toBe(false);
    expect(alive(newPid)).toBe(true);
    expect(commandLine(newPid)).toMatch(/^steward-agent .*--node kitchen-hub /);
    await t.hub.waitForNodes(['kitchen-hub'], 20_000);
    expect((await t.api.get('/api/nodes')).body.nodes.find((n: { id: string }) => n.id === 'kitchen-hub')).toMatchObject({ online: true });

    const r = await t.api.post('/api/devices/kitchen_light/commands', { command: 'setBrightness', params: { brightness: 42 } });
    expect(r.status).toBe(200);
    expect(r.body.state).toMatchObject({ brightness: 42 });
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.brightness).toBe(42);

    const exited = logs.find((l) => l.msg === 'demo agent exited; restarting it' && l.nodeId === 'kitchen-hub');
    expect(exited).toMatchObject({ component: 'demo', pid: oldPid, exit: 'SIGKILL', delayMs: 1000, restarts: 1 });
    expect(logs.find((l) => l.msg === 'demo agent restarted' && l.nodeId === 'kitchen-hub')).toMatchObject({ pid: newPid, previousPid: oldPid });
  });

  it('an agent that keeps dying is restarted with a growing delay; the other node is untouched', async () => {
    const otherPid = t.hub.demo!.nodePids.get('living-room-gateway')!;
    const before = t.hub.demo!.nodePids.get('kitchen-hub')!;
    process.kill(before, 'SIGKILL');
    const after = await waitUntil(() => {
      const p = t.hub.demo!.nodePids.get('kitchen-hub');
      return p !== before && p;
    }, 'the kitchen-hub agent again', 20_000);
    await t.hub.waitForNodes(['kitchen-hub'], 20_000);
    const restarts = logs.filter((l) => l.msg === 'demo agent exited; restarting it' && l.nodeId === 'kitchen-hub');
    // it had not stayed up long: the second restart waits twice as long as the first
    expect(restarts.map((l) => [l.delayMs, l.restarts])).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
    expect(alive(after)).toBe(true);
    expect(t.hub.demo!.nodePids.get('living-room-gateway')).toBe(otherPid);
    expect((await t.api.post('/api/devices/kitchen_light/commands', { command: 'turnOff' })).body.state).toMatchObject({ on: false });
  });

  it('a kill -9ed simulator (its agents go with it) is started again by the hub, with the devices as they were', async () => {
    const simPid = t.hub.demo!.pid;
    const agentPids = [...t.hub.demo!.nodePids.values()];
    process.kill(simPid, 'SIGKILL');
    // the agents' stdin lifeline closes: they stop too
    await waitUntil(() => agentPids.every((p) => !alive(p)), 'the old agents gone', 15_000);
    await waitUntil(() => t.hub.demo!.pid !== simPid, 'a new simulator', 15_000);
    await waitUntil(() => [...t.hub.demo!.nodePids.values()].every((p) => !agentPids.includes(p) && alive(p)), 'new agents', 30_000);
    await t.hub.waitForNodes(undefined, 30_000);
    expect(logs.find((l) => l.msg === 'simulated home exited; restarting it')).toMatchObject({ component: 'demo', pid: simPid, signal: 'SIGKILL', delayMs: 1000 });
    // the state it had is where the new agents resume (the kitchen light was turned off above)
    expect((await nodes.snapshot('kitchen-hub')).kitchen_light!.state.on).toBe(false);
    expect((await t.api.post('/api/devices/living_room_light/commands', { command: 'setBrightness', params: { brightness: 12 } })).body.state).toMatchObject({ brightness: 12 });
  });
});
