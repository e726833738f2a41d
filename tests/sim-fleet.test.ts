import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { HomieDescriptionSchema, homieToDeviceId, type Home } from '@steward/device-adapters';
import { startFleet } from '@steward/simulators';
import { startAedes, type TestBroker } from './helpers/aedes.ts';
import { BENCHMARK_HOME, SIM_BIN, benchmarkHome } from './helpers/agents.ts';
import { MqttCollector } from './helpers/mqtt-collector.ts';
import { startProcess, stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

// `steward-sim home` as a real process: one node-agent process per node of the home file.
const run = promisify(execFile);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A two-node slice of the benchmark home, written to a temp file. */
function smallHome(): { home: Home; file: string } {
  const full = benchmarkHome();
  const nodes = full.nodes.filter((n) => ['bathroom-hub', 'balcony-washer'].includes(n.id));
  const devices = full.devices.filter((d) => nodes.some((n) => n.id === d.node));
  const home: Home = { ...full, nodes, devices, scenes: [], areas: full.areas.filter((a) => devices.some((d) => d.area === a.id)) };
  const file = join(mkdtempSync(join(tmpdir(), 'steward-home-')), 'home.json');
  writeFileSync(file, JSON.stringify(home));
  return { home, file };
}

describe('steward-sim fleet', () => {
  const brokers: TestBroker[] = [];
  afterAll(async () => {
    await stopAllProcesses();
    for (const b of brokers) await b.stop();
  });

  it('brings up all 9 nodes and 34 devices of the benchmark home, and stops every agent on SIGTERM', async () => {
    const broker = await startAedes();
    brokers.push(broker);
    const home = benchmarkHome();
    const sim = startProcess(process.execPath, [SIM_BIN, 'home', BENCHMARK_HOME, '--hub', broker.url]);
    await sim.waitForLine(/^fleet ready: 9 nodes, 34 devices/, 60_000, 'stdout');
    const pids = sim.stdout.map((l) => /^ready (\S+) \d+ devices pid (\d+)$/.exec(l)).filter((m) => m !== null).map((m) => Number(m[2]));
    expect(pids).toHaveLength(9);
    expect(new Set(pids).size).toBe(9);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    // a third-party client: every node is ready and describes its devices
    const { stdout } = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv311', '-t', 'homie/5/+/$state', '-v', '-C', '9', '-W', '10'], { timeout: 15_000 });
    const states = stdout.trim().split('\n').sort();
    expect(states).toEqual(home.nodes.map((n) => `homie/5/${n.id}/$state ready`).sort());

    const mqtt = await MqttCollector.connect(broker.url, ['homie/5/+/$description']);
    const descriptions = await waitUntil(() => {
      const d = mqtt.messages.filter((m) => m.topic.endsWith('/$description'));
      return d.length === 9 && d;
    }, 'nine descriptions');
    const hosted = descriptions.flatMap((m) => Object.keys(HomieDescriptionSchema.parse(JSON.parse(m.payload)).nodes).map(homieToDeviceId));
    expect(hosted).toHaveLength(34);
    expect(hosted.sort()).toEqual(home.devices.map((d) => d.id).sort());

    // devices are live: a command through one of the agents
    const reply = await mqtt.rpc('car-head-unit', 'command', { deviceId: 'car_climate', command: 'turnOn' });
    expect(reply).toMatchObject({ ok: true, state: { on: true } });
    // an unlock only runs when the hub signed it (issue 9): this fleet has no hub, so the agent refuses it
    const unlock = await mqtt.rpc('car-head-unit', 'command', { deviceId: 'car_lock', command: 'unlock' });
    expect(unlock).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    sim.signal('SIGTERM');
    expect(await sim.exited).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    await mqtt.subscribe(['homie/5/+/$state']);
    await waitUntil(() => home.nodes.every((n) => mqtt.latest(`homie/5/${n.id}/$state`) === 'disconnected'), 'every node disconnected');
    await mqtt.close();
  }, 120_000); // its own fleet-ready wait is 60 s: the test may take longer than the default 30 s on a loaded machine

  it('startFleet passes per-node credentials to each agent (a broker that checks them lets them in)', async () => {
    const { home } = smallHome();
    const credentials = { 'bathroom-hub': { username: 'bathroom-hub', password: 's3cret-1' }, 'balcony-washer': { username: 'balcony-washer', password: 's3cret-2' } };
    const seen: string[] = [];
    const broker = await startAedes({
      options: {
        authenticate: (client, username, password, done) => {
          const expected = username ? credentials[username as keyof typeof credentials] : undefined;
          const ok = expected !== undefined && password?.toString() === expected.password && client.id === `steward-agent-${username}`;
          if (ok) seen.push(username!);
          done(null, ok);
        },
      },
    });
    brokers.push(broker);
    const fleet = await startFleet({ home, url: broker.url, credentials, timeScale: 60, forwardLogs: false });
    try {
      expect(fleet.nodes.map((n) => n.nodeId).sort()).toEqual(['balcony-washer', 'bathroom-hub']);
      expect(seen.sort()).toEqual(['balcony-washer', 'bathroom-hub']);
      expect(fleet.nodes.find((n) => n.nodeId === 'balcony-washer')!.devices.sort()).toEqual(['balcony_light', 'washing_machine']);
    } finally {
      await fleet.stop();
    }
    for (const n of fleet.nodes) expect(isAlive(n.pid)).toBe(false);
  });

  it('agents exit by themselves when steward-sim is killed with SIGKILL (stdin lifeline)', async () => {
    const broker = await startAedes();
    brokers.push(broker);
    const { file } = smallHome();
    const sim = startProcess(process.execPath, [SIM_BIN, 'home', file, '--hub', broker.url, '--time-scale', '10']);
    await sim.waitForLine(/^fleet ready: 2 nodes, 4 devices/, 60_000, 'stdout');
    const pids = sim.stdout.map((l) => /pid (\d+)$/.exec(l)).filter((m) => m !== null).map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    sim.signal('SIGKILL');
    await sim.exited;
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 'the orphaned agents to exit', 10_000);
  });

  it('rejects a bad home file with a clear error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'steward-home-')), 'home.json');
    writeFileSync(file, JSON.stringify({ areas: [], nodes: [], devices: [{ id: 'Bad Id' }] }));
    const sim = startProcess(process.execPath, [SIM_BIN, 'home', file, '--hub', 'mqtt://127.0.0.1:9']);
    expect((await sim.exited).code).toBe(1);
    expect(sim.stderr.join('\n')).toMatch(/invalid home file .*\n\s+devices\.0\.id: device ids are lower-case words joined by _/);
  });
});
