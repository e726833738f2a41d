/**
 * `npm start`'s entry point as a real process: a bad home file is a clear error with exit code 2; with free ports
 * and a data dir of its own the hub runs its simulated home, prints its URL, and stops cleanly on SIGTERM.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarkHome } from './helpers/agents.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { apiClient } from './helpers/hub-http.ts';
import { startProcess, stopAllProcesses } from './helpers/processes.ts';
import { freePort } from './helpers/ports.ts';
import { waitUntil } from './helpers/wait.ts';

const HUB_BIN = resolve(import.meta.dirname, '..', 'hub', 'bin', 'steward-hub.mjs');
const hubProcess = (args: string[]) => startProcess(process.execPath, [HUB_BIN, ...args]);

afterAll(stopAllProcesses);

describe('steward-hub', () => {
  it('refuses a bad home file with one clear message and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    const bad = join(dir, 'home.json');
    const home = benchmarkHome();
    writeFileSync(bad, JSON.stringify({ ...home, devices: [{ ...home.devices[0], area: 'attic' }] }));
    const p = hubProcess(['--home', bad, '--data-dir', join(dir, 'data'), '--http-port', '0', '--mqtt-port', '0']);
    expect(await p.exited).toEqual({ code: 2, signal: null });
    const err = p.stderr.join('\n');
    expect(err).toContain(bad);
    expect(err).toMatch(/unknown area attic/);
  });

  it('refuses bad flags with exit code 2', async () => {
    const p = hubProcess(['--http-port', 'eighty']);
    expect((await p.exited).code).toBe(2);
    expect(p.stderr.join('\n')).toMatch(/--http-port must be a number/);
    const q = hubProcess(['--frobnicate']);
    expect((await q.exited).code).toBe(2);
  });

  it('runs a simulated home on ports of its own, prints the URL, and stops on SIGTERM with its agents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    const homeFile = writeHomeFile(subsetHome(['kitchen-hub']), dir);
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const p = hubProcess(['--home', homeFile, '--http-port', String(httpPort), '--mqtt-port', String(mqttPort), '--data-dir', join(dir, 'data'), '--log-level', 'warn']);
    await p.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    expect(p.stdout.join('\n')).toContain(`http://127.0.0.1:${httpPort}`);
    expect(p.stdout.join('\n')).toMatch(/1\/1 nodes online/);
    expect(p.stdout.join('\n')).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/api\/command/);

    const api = apiClient(`http://127.0.0.1:${httpPort}`);
    const nodes = (await api.get('/api/nodes')).body.nodes;
    expect(nodes).toEqual([expect.objectContaining({ id: 'kitchen-hub', online: true })]);
    const r = await api.post('/api/command', { text: 'turn off the kitchen light' });
    expect(r.body.actions[0]).toMatchObject({ deviceId: 'kitchen_light', ok: true });

    p.signal('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    // nothing left listening
    await waitUntil(async () => {
      try {
        await fetch(`http://127.0.0.1:${httpPort}/api/health`);
        return false;
      } catch {
        return true;
      }
    }, 'the HTTP port to close');
  });
});
