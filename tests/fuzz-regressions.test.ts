/**
 * Issue 15: hostile input, measured. The fuzzer runs through the real command at a small count (a real hub process,
 * its agents, every surface) and must report 0 crashes in its last-line format; 1,000 bad inputs to a real hub write
 * a bounded number of log lines and show up, by kind, in GET /api/health; the rate limiter itself, on a manual clock.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, Rejections } from '@steward/hub';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { apiClient } from './helpers/hub-http.ts';
import { startProcess, stopAllProcesses } from './helpers/processes.ts';
import { freePort } from './helpers/ports.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HUB_BIN = join(ROOT, 'hub', 'bin', 'steward-hub.mjs');

afterAll(stopAllProcesses);

describe('Rejections: counted always, logged once per source, kind and window', () => {
  it('logs the first, counts the rest, and writes one summary when the window ends', () => {
    const lines: { msg: string; rejection?: string; source?: string; count?: number }[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const clock = new ManualClock(0);
    const r = new Rejections(log, clock, { summaryEveryMs: 10_000 });
    for (let i = 0; i < 1000; i++) r.reject('mqtt-payload', 'node-a', `bad value ${i}`);
    for (let i = 0; i < 10; i++) r.reject('mqtt-payload', 'node-b', 'bad');
    r.reject('http-request', '127.0.0.1', '400 POST /api/command');
    expect(lines.map((l) => [l.rejection, l.source, l.msg])).toEqual([
      ['mqtt-payload', 'node-a', 'rejected: bad value 0'],
      ['mqtt-payload', 'node-b', 'rejected: bad'],
      ['http-request', '127.0.0.1', 'rejected: 400 POST /api/command'],
    ]);
    clock.advance(10_000);
    expect(lines.slice(3).map((l) => [l.source, l.count, l.msg])).toEqual([
      ['node-a', 999, 'rejected 999 more (mqtt-payload from node-a); last: bad value 999'],
      ['node-b', 9, 'rejected 9 more (mqtt-payload from node-b); last: bad'],
    ]);
    expect(r.counts()).toEqual({ 'mqtt-payload': 1010, 'mqtt-auth': 0, 'mqtt-acl': 0, 'mqtt-packet': 0, 'http-request': 1, pairing: 0 });
    // a new window: the next one is logged again
    r.reject('mqtt-payload', 'node-a', 'again');
    expect(lines.at(-1)!.msg).toBe('rejected: again');
  });

  it('keeps a flood from many sources bounded: past maxSources they share one window', () => {
    const lines: unknown[] = [];
    const r = new Rejections(pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }), new ManualClock(0), { maxSources: 5 });
    for (let i = 0; i < 1000; i++) r.reject('mqtt-auth', `10.0.0.${i}`, 'wrong password');
    expect(lines).toHaveLength(6);
    expect(r.counts()['mqtt-auth']).toBe(1000);
  });
});

describe('a real hub: 1,000 bad inputs, a bounded log, counted in /api/health', () => {
  it('500 bad MQTT payloads and 500 bad HTTP bodies write at most a few rejection lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-fuzz-reg-'));
    const dataDir = join(dir, 'data');
    const homeFile = writeHomeFile(subsetHome(['kitchen-hub']), dir);
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const hub = startProcess(process.execPath, [HUB_BIN, '--home', homeFile, '--data-dir', dataDir, '--http-port', String(httpPort), '--mqtt-port', String(mqttPort), '--https-port', '0', '--mqtts-port', '0', '--log-level', 'warn'], {
      env: { ...process.env, STEWARD_LOG_FORMAT: 'json' },
    });
    await hub.waitForLine(/^Steward hub is running\.$/, 90_000, 'stdout');
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const api = apiClient(`http://127.0.0.1:${httpPort}`, { token });
    const admin = (await api.post('/api/mqtt-credentials', { username: 'fuzz-admin', role: 'admin' })).body as { username: string; password: string };
    const before = hub.stderr.length;
    const started = Date.now();

    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { ...admin, clientId: 'fuzz-admin-1' });
    for (let i = 0; i < 500; i++) await client.publishAsync('homie/5/kitchen-hub/kitchen-light/on', `not-a-boolean-${i}`, { qos: 1 });
    await client.endAsync();
    for (let i = 0; i < 500; i++) expect((await api.post('/api/command', { text: i })).status).toBe(400);

    const health = (await api.get('/api/health')).body as { ok: boolean; rejections: Record<string, number>; mqtt: { dropped: number } };
    expect(health.ok).toBe(true);
    expect(health.rejections['mqtt-payload']).toBe(500);
    expect(health.rejections['http-request']).toBe(500);
    expect(health.mqtt.dropped).toBe(500);
    // still answers a real command
    expect((await api.post('/api/devices/kitchen_light/commands', { command: 'turnOn' })).body).toMatchObject({ ok: true });

    await hub.stop();
    const windows = Math.ceil((Date.now() - started) / 10_000) + 1;
    const lines = hub.stderr.slice(before).map((l) => JSON.parse(l) as { rejection?: string; source?: string; count?: number; msg: string });
    const rejections = lines.filter((l) => l.rejection);
    // per (kind, source) and 10 s window: the first at once, then one summary of the rest (the last at the stop)
    expect(rejections.length).toBeLessThanOrEqual(2 * 2 * windows);
    for (const [kind, source] of [['mqtt-payload', 'kitchen-hub'], ['http-request', '127.0.0.1']] as const) {
      const mine = rejections.filter((l) => l.rejection === kind && l.source === source);
      // every rejection is in a line: logged itself (no count) or summed in a summary
      expect(mine.reduce((n, l) => n + (l.count ?? 1), 0)).toBe(500);
    }
    // nothing else is written per input
    expect(lines.length).toBeLessThan(rejections.length + 10);
  }, 180_000);
});

describe('npm run fuzz at a small count through the real command', () => {
  it('2,000 hostile inputs over every surface: 0 crashes, and the last line in its format', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'fuzz', '--', '--count', '2000', '--check-every', '1000', '--seed', '7'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last, stderr).toMatch(/^fuzz: 2000 inputs, 0 crashes, max RSS \d+ MB$/);
    expect(Number(/max RSS (\d+) MB/.exec(last)![1])).toBeGreaterThan(20);
    // audio and model replies are among the surfaces (about 1 % of the inputs)
    expect(stderr).toMatch(/^fuzz: {3}audio [a-z-]+: \d+ inputs/m);
    expect(stderr).toMatch(/^fuzz: {3}model reply: \d+ inputs/m);
    expect(Number(/the hostile model answered (\d+) chat completions/.exec(stderr)?.[1])).toBeGreaterThan(0);
  }, 900_000);
});
