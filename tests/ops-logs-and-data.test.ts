/**
 * Operator comfort (issue 9) with the real hub program: its data folder and database are private (0700 / 0600),
 * also when an older start left them readable; GET requests are not logged at info (changes are); logs are JSON on
 * a pipe and readable lines on a terminal (a real pseudo-terminal made by `script`).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseLogFormat, formatLogLine } from '@steward/device-adapters';
import { apiClient } from './helpers/hub-http.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startProcess, stopAllProcesses } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const HUB_BIN = join(ROOT, 'hub', 'bin', 'steward-hub.mjs');
const run = promisify(execFile);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'stw-ops-'));
  dirs.push(d);
  return d;
};
const mode = (f: string) => statSync(f).mode & 0o777;

afterAll(async () => {
  await stopAllProcesses();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise; STEWARD_LOG_FORMAT decides when set', () => {
    expect(chooseLogFormat({ isTTY: true })).toBe('pretty');
    expect(chooseLogFormat({ isTTY: false })).toBe('json');
    expect(chooseLogFormat({ isTTY: true, env: 'json' })).toBe('json');
    expect(chooseLogFormat({ isTTY: false, env: 'pretty' })).toBe('pretty');
    expect(chooseLogFormat({ isTTY: false, env: 'fancy' })).toBe('json');
  });

  it('shows a pino line as time, level, component, message and fields; an error with its stack; other text as is', () => {
    const at = Date.UTC(2026, 10, 30, 14, 9, 32, 123);
    const line = JSON.stringify({ level: 30, time: at, pid: 1, hostname: 'h', component: 'api', method: 'POST', url: '/api/command', status: 200, msg: 'request' });
    expect(formatLogLine(line)).toBe('14:09:32.123 INFO  [api] request method=POST url=/api/command status=200');
    expect(formatLogLine(JSON.stringify({ level: 40, time: at, nodeId: 'kitchen-hub', msg: 'connection lost', reason: 'broker went away' }), { prefix: 'kitchen-hub |' })).toBe(
      'kitchen-hub | 14:09:32.123 WARN  [kitchen-hub] connection lost reason="broker went away"',
    );
    expect(formatLogLine(JSON.stringify({ level: 50, time: at, msg: 'failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } }))).toBe(
      '14:09:32.123 ERROR failed\n    Error: boom\n        at x',
    );
    expect(formatLogLine(JSON.stringify({ level: 40, time: at, msg: 'mqtt error', err: 'Connection refused: Bad username or password' }))).toBe(
      '14:09:32.123 WARN  mqtt error err="Connection refused: Bad username or password"',
    );
    expect(formatLogLine('steward-sim: the agent of tv exited (SIGKILL)')).toBe('steward-sim: the agent of tv exited (SIGKILL)');
  });
});

describe('the hub program', () => {
  const home = writeHomeFile(subsetHome(['kitchen-hub']), tmp());
  const args = (dataDir: string) => ['--no-demo', '--home', home, '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', dataDir, '--log-level', 'info'];

  it('makes its data folder 0700 and its database 0600, and tightens ones an earlier start left open; GETs are not logged at info', async () => {
    const dataDir = tmp();
    chmodSync(dataDir, 0o755);
    // a database made with a loose umask, as before this hub
    new Database(join(dataDir, 'steward.db')).close();
    chmodSync(join(dataDir, 'steward.db'), 0o644);
    expect(mode(join(dataDir, 'steward.db'))).toBe(0o644);

    const p = startProcess(process.execPath, [HUB_BIN, ...args(dataDir)], { cwd: ROOT });
    await p.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    const httpUrl = /^ {2}HTTP {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(p.stdout.find((l) => l.startsWith('  HTTP  '))!)![1]!;
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['steward.db', 'steward.db-wal', 'steward.db-shm', 'admin-token']) {
      expect(existsSync(join(dataDir, f)), f).toBe(true);
      expect(mode(join(dataDir, f)), f).toBe(0o600);
    }

    const anon = apiClient(httpUrl);
    const api = apiClient(httpUrl, { token: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim() });
    for (const path of ['/api/health', '/api/devices', '/api/nodes', '/api/devices/kitchen_light']) expect((await anon.get(path)).status).toBe(200);
    expect((await api.post('/api/mqtt-credentials', { role: 'controller', username: 'ops-test' })).status).toBe(200);
    p.signal('SIGTERM');
    expect((await p.exited).code).toBe(0);

    // stderr is a pipe here: one JSON object a line
    // (Node's own warnings, "(node:PID) …", are not the hub's log)
    expect(p.stderr.filter((l) => !l.startsWith('{') && !/^\(node:\d+\)|^\(Use `node/.test(l))).toEqual([]);
    const lines = p.stderr.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; method?: string; url?: string; status?: number });
    const requests = lines.filter((l) => l.msg === 'request' || l.msg === 'incoming request' || l.msg === 'request completed');
    expect(requests.filter((l) => l.level >= 30 && l.method === 'GET')).toEqual([]);
    expect(requests).toEqual([expect.objectContaining({ level: 30, msg: 'request', method: 'POST', url: '/api/mqtt-credentials', status: 200 })]);
  }, 90_000);

  it("passes the demo agents' log lines through as their own lines, not wrapped in the hub's", async () => {
    const dataDir = tmp();
    const p = startProcess(process.execPath, [HUB_BIN, ...args(dataDir).filter((a) => a !== '--no-demo')], { cwd: ROOT });
    await p.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    const httpUrl = /^ {2}HTTP {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(p.stdout.find((l) => l.startsWith('  HTTP  '))!)![1]!;
    const api = apiClient(httpUrl, { token: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim() });
    await waitUntil(async () => (await api.get('/api/nodes')).body.nodes[0].online, 'the demo node online', 30_000);
    // revoked, the agent loses its connection and says so (a warning, which the demo's agents log)
    expect((await api.post('/api/nodes/kitchen-hub/revoke')).status).toBe(200);
    const parsed = () => p.stderr.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const agentLine = await waitUntil(() => parsed().find((o) => o.nodeId === 'kitchen-hub' && o.msg === 'connection lost'), "the agent's own line", 20_000);
    // the agent's JSON as it wrote it: its own pid, not the hub's, and no hub fields around it
    expect(agentLine.pid).not.toBe(p.pid);
    expect(agentLine).not.toHaveProperty('component', 'demo');
    expect(parsed().filter((o) => typeof o.line === 'string')).toEqual([]);
    p.signal('SIGTERM');
    expect((await p.exited).code).toBe(0);
  }, 90_000);

  it('writes readable lines, not JSON, when its stderr is a terminal', async () => {
    const dataDir = tmp();
    // `script` gives the hub a real pseudo-terminal; `timeout` stops it (SIGTERM) after its start has been logged
    const cmd = [process.execPath, HUB_BIN, ...args(dataDir)].map((a) => `'${a}'`).join(' ');
    const { stdout } = await run('script', ['-qefc', `timeout -s TERM 12 ${cmd}`, '/dev/null'], { cwd: ROOT, timeout: 60_000, env: { ...process.env, STEWARD_LOG_FORMAT: '' } }).catch(
      (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
    );
    const text = stdout.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');
    expect(text).toContain('Steward hub is running.');
    expect(text).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} WARN  \[mdns\] no --mdns-interface given: advertising on loopback only/m);
    expect(text).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} INFO  hub started features=\[.*\] httpUrl=http:\/\/127\.0\.0\.1:\d+/m);
    expect(text.split('\n').filter((l) => l.startsWith('{"level"'))).toEqual([]);
  }, 90_000);
});
