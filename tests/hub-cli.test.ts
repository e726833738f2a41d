/**
 * `npm start`'s entry point as a real process: a bad home file is a clear error with exit code 2; with free ports
 * and a data dir of its own the hub runs its simulated home, prints its URL and its admin token once, answers the
 * owner's subcommands (pair, revoke, admin-token --rotate), and stops cleanly on SIGTERM.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    const r = hubProcess(['--mdns-interface', 'nope0', '--http-port', '0']);
    expect((await r.exited).code).toBe(2);
    expect(r.stderr.join('\n')).toMatch(/--mdns-interface: no network interface nope0/);
  });

  it('runs a simulated home on ports of its own, prints the URL and the admin token once, and stops on SIGTERM with its agents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    const dataDir = join(dir, 'data');
    const homeFile = writeHomeFile(subsetHome(['kitchen-hub']), dir);
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const p = hubProcess(['--home', homeFile, '--http-port', String(httpPort), '--mqtt-port', String(mqttPort), '--https-port', '0', '--mqtts-port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
    await p.waitForLine(/^Steward hub is running\.$/, 60_000, 'stdout');
    // the banner comes first; the demo's line follows once its agents are online
    await p.waitForLine(/^Demo: \d+\/\d+ nodes online\.$/, 60_000, 'stdout');
    const out = p.stdout.join('\n');
    expect(out).toContain(`http://127.0.0.1:${httpPort}`);
    expect(out).toMatch(/1\/1 nodes online/);
    expect(out).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/api\/command -H "authorization: Bearer/);
    // no --mdns-interface: it says it pairs on loopback only
    expect(out).toMatch(/loopback only/);
    // the admin token: printed once, and the same in <data-dir>/admin-token (0600)
    const tokenFile = join(dataDir, 'admin-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(out).toContain(token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    // the demo's credentials file is private too
    expect(statSync(join(dataDir, 'demo-credentials.json')).mode & 0o777).toBe(0o600);

    const anon = apiClient(`http://127.0.0.1:${httpPort}`);
    const nodes = (await anon.get('/api/nodes')).body.nodes;
    expect(nodes).toEqual([expect.objectContaining({ id: 'kitchen-hub', online: true, paired: false })]);
    expect((await anon.post('/api/command', { text: 'turn off the kitchen light' })).status).toBe(401);
    const r = await apiClient(`http://127.0.0.1:${httpPort}`, { token }).post('/api/command', { text: 'turn off the kitchen light' });
    expect(r.body.actions[0]).toMatchObject({ deviceId: 'kitchen_light', ok: true });

    // the owner's subcommands against the running hub, with the token file of its data dir
    const admin = (args: string[]) => hubProcess([...args, '--data-dir', dataDir, '--http-port', String(httpPort)]);
    const pair = admin(['pair']);
    expect((await pair.exited).code, pair.stderr.join('\n')).toBe(0);
    const code = /Pairing code: (\d{4}) (\d{4})/.exec(pair.stdout.join('\n'));
    expect(code).not.toBeNull();
    expect(pair.stdout.join('\n')).toContain(`steward-agent pair --code ${code![1]}${code![2]} `);
    expect(pair.stdout.join('\n')).toMatch(/QR payload: +steward:\/\/pair\?hub=h-[a-z2-7]{16}&host=127\.0\.0\.1&port=\d+&fp=[0-9a-f]{64}&code=\d{8}/);
    const revoke = admin(['revoke', 'kitchen-hub']);
    expect((await revoke.exited).code, revoke.stderr.join('\n')).toBe(0);
    expect(revoke.stdout.join('\n')).toMatch(/^revoked kitchen-hub: 1 credentials deleted, 1 sessions closed/);
    await waitUntil(async () => (await anon.get('/api/nodes')).body.nodes[0].online === false, 'the revoked node offline');
    const unknown = admin(['revoke', 'no-such-node']);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.stderr.join('\n')).toMatch(/no-such-node has no credentials/);

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

    // a lost token is replaced with the hub stopped; the new one is in the file
    const rotate = hubProcess(['admin-token', '--rotate', '--data-dir', dataDir]);
    expect((await rotate.exited).code, rotate.stderr.join('\n')).toBe(0);
    const fresh = readFileSync(tokenFile, 'utf8').trim();
    expect(fresh).not.toBe(token);
    expect(rotate.stdout.join('\n')).toContain(fresh);
  }, 90_000);
});
