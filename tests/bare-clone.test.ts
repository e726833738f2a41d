/**
 * The README's promise to a new user, for real: a clone of this repository's HEAD in an empty folder (no ../shared
 * beside it) installs with `npm ci --offline` from the package cache the install before it filled (better-sqlite3
 * built from source, so the test reaches no registry), builds itself (npm ci runs `prepare`: `npm run build`), and
 * `npm start` runs the demo home that ships in the repository: its banner, then its agents, each a `steward-agent`
 * process; a command in English and one in Chinese come back acknowledged by demo nodes, with the devices' reported
 * states. The hub is stopped by PID and takes its agents with it. Then, in the same clone: `--no-demo` needs no home
 * file, and a source newer than its build is refused (STEWARD_NO_REBUILD=1) or rebuilt, never run silently.
 * Slow (a native build from source): one test with a long timeout. It clones what is committed, not the work tree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './helpers/hub-http.ts';
import { descendants } from './helpers/process-tree.mjs';
import { startProcess, stopAllProcesses, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'steward-bare-clone-'));
const clone = join(dir, 'steward');

// nothing of the npm run that started the tests (npm_config_local_prefix would point npm at this checkout), nor of
// vitest, leaks into the clone's commands
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|INIT_CWD$|NODE_OPTIONS$|NODE_ENV$)/i.test(k))),
  npm_config_build_from_source: 'true',
};
const inClone = (command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): ManagedProcess =>
  startProcess(command, args, { cwd: clone, env: { ...env, ...extraEnv } });

/** a process's arguments, argv[0] first */
const argv = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** the hub and its agents, found under npm: stopped by PID if the test ends before they do */
let found: number[] = [];

afterAll(async () => {
  await stopAllProcesses();
  for (const pid of found.filter(alive)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('a bare clone', () => {
  it('installs offline, builds, starts its own demo home with npm start and answers commands; --no-demo needs no home; a stale build is refused or rebuilt', async () => {
    const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { encoding: 'utf8' });
    expect(cloned.status, cloned.stderr).toBe(0);
    expect(existsSync(join(dir, 'shared'))).toBe(false);
    expect(existsSync(join(clone, 'hub', 'dist'))).toBe(false); // built output is not committed

    const ci = inClone('npm', ['ci', '--offline', '--no-audit', '--no-fund']);
    const ciExit = await ci.exited;
    expect(ciExit, `npm ci --offline:\n${ci.stderr.slice(-30).join('\n')}`).toEqual({ code: 0, signal: null });
    // prepare ran the build: every package has its JavaScript
    for (const pkg of ['device-adapters', 'node-agent', 'simulators', 'hub']) expect(existsSync(join(clone, pkg, 'dist', 'index.js')), pkg).toBe(true);

    // npm start, on ports of its own
    const dataDir = join(dir, 'data');
    const start = inClone('npm', ['start', '--', '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    await start.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    const home = start.stdout.find((l) => l.startsWith('  Home  '))!;
    expect(home).toBe(`  Home  ${join(clone, 'hub', 'src', 'demo', 'demo-home.json')}: 5 nodes, 21 devices (simulated, its agents starting)`);
    await start.waitForLine(/^Demo: 5\/5 nodes online\.$/, 120_000, 'stdout');
    const httpUrl = /^ {2}HTTP {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(start.stdout.find((l) => l.startsWith('  HTTP  '))!)![1]!;

    // the hub (node itself, not npm's shell) and one steward-agent process per demo node, all on the built JavaScript
    const processes = descendants(start.pid).map((pid) => ({ pid, argv: argv(pid) }));
    found = processes.map((p) => p.pid);
    const isNode = (p: { argv: string[] }) => p.argv[0] === 'node' || p.argv[0] === process.execPath;
    // exactly one hub process: node itself on the bin, with the flags npm start passed on
    const hubs = processes.filter((p) => isNode(p) && p.argv[1] === 'hub/bin/steward-hub.mjs');
    expect(hubs.map((p) => p.argv.slice(1)), processes.map((p) => p.argv.join(' ')).join('\n')).toEqual([
      ['hub/bin/steward-hub.mjs', '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
    ]);
    const hub = hubs[0];
    // each demo agent is named in ps: argv[0] is steward-agent and --node says which node it hosts
    const agents = processes.filter((p) => p.argv[0] === 'steward-agent' && p.argv.some((a) => a.endsWith('node-agent/bin/steward-agent.mjs')) && p.argv.includes('start'));
    expect(agents).toHaveLength(5);
    expect(agents.map((a) => a.argv[a.argv.indexOf('--node') + 1]).sort()).toEqual(JSON.parse(readFileSync(join(clone, 'hub', 'src', 'demo', 'demo-home.json'), 'utf8')).nodes.map((n: { id: string }) => n.id).sort());
    for (const a of agents) expect(a.argv.slice(1, 3)).toEqual(['--max-semi-space-size=1', '--no-opt']);
    expect(processes.filter((p) => p.argv.some((a) => /\btsx\b/.test(a)))).toEqual([]);

    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const api = apiClient(httpUrl, { token });
    const en = await api.post('/api/command', { text: 'turn on the porch light' });
    expect(en.status).toBe(200);
    expect(en.body.actions).toEqual([expect.objectContaining({ deviceId: 'porch_light', command: 'turnOn', ok: true, state: expect.objectContaining({ on: true }) })]);
    const zh = await api.post('/api/command', { text: '把客厅灯调到百分之三十' });
    expect(zh.status).toBe(200);
    expect(zh.body.actions.map((a: { deviceId: string; ok: boolean }) => [a.deviceId, a.ok])).toEqual([
      ['living_room_light', true],
      ['living_room_light', true],
    ]);
    expect((await api.get('/api/devices/porch_light')).body.state).toMatchObject({ on: true });
    expect((await api.get('/api/devices/living_room_light')).body.state).toMatchObject({ on: true, brightness: 30 });

    // stopped by PID: the hub stops its simulator and agents, and npm ends with it
    process.kill(hub!.pid, 'SIGTERM');
    expect((await start.exited).code).toBe(0);
    await waitUntil(() => processes.every((p) => !alive(p.pid)), 'the hub, the simulator and the agents to exit', 20_000);

    // --no-demo: no home file at all
    const empty = inClone(process.execPath, ['hub/bin/steward-hub.mjs', '--no-demo', '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', join(dir, 'data-empty'), '--log-level', 'warn']);
    await empty.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    expect(empty.stdout.find((l) => l.startsWith('  Home  '))).toBe('  Home  no home file: 0 nodes, 0 devices (0/0 nodes online, no simulation); devices join by pairing');
    empty.signal('SIGTERM');
    expect(await empty.exited).toEqual({ code: 0, signal: null });

    // a source newer than its build: refused when a rebuild is not allowed, rebuilt otherwise, then current
    const now = new Date();
    utimesSync(join(clone, 'device-adapters', 'src', 'ids.ts'), now, now);
    const refused = inClone(process.execPath, ['node-agent/bin/steward-agent.mjs', '--help'], { STEWARD_NO_REBUILD: '1' });
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(/^steward-agent: the build is stale \(device-adapters\/src\/ids\.ts is newer than device-adapters\/dist\).*run `npm run build`/);
    expect(refused.stdout).toEqual([]);
    const rebuilt = inClone(process.execPath, ['node-agent/bin/steward-agent.mjs', '--help']);
    expect((await rebuilt.exited).code).toBe(0);
    expect(rebuilt.stderr.join('\n')).toMatch(/^steward-agent: the build is stale \(device-adapters\/src\/ids\.ts is newer than device-adapters\/dist\): rebuilding/);
    expect(rebuilt.stdout[0]).toMatch(/^usage: steward-agent start --config FILE/);
    const current = inClone(process.execPath, ['node-agent/bin/steward-agent.mjs', '--help']);
    expect((await current.exited).code).toBe(0);
    expect(current.stderr).toEqual([]);
  }, 20 * 60_000);
});
