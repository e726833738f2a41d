/**
 * The systemd units shipped in deploy/systemd are valid (`systemd-analyze verify`, which needs no running systemd,
 * so it works in a container), hardened (`systemd-analyze security --offline`), restart what dies, keep their data in
 * their own state folder under their own user (whose sysusers.d entry `systemd-sysusers --dry-run` accepts), and
 * start the package bins this repository has. `scripts/setup-system.sh` installs the `systemd` package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const UNITS_DIR = join(ROOT, 'deploy', 'systemd');
/** where the units expect the clone */
const INSTALL_ROOT = '/opt/steward';
const UNITS = ['steward-hub.service', 'steward-agent.service'];

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const missing = analyze.error ? `systemd-analyze is not installed (run scripts/setup-system.sh): ${analyze.error.message}` : undefined;
if (missing) console.warn(`systemd-units.test.ts skipped: ${missing}`);

/** the units as shipped; where this machine's node is not /usr/bin/node, a copy that names the node that runs here */
const work = mkdtempSync(join(tmpdir(), 'steward-units-'));
function unitPath(name: string): string {
  const shipped = join(UNITS_DIR, name);
  if (existsSync('/usr/bin/node')) return shipped;
  const copy = join(work, name);
  writeFileSync(copy, readFileSync(shipped, 'utf8').replaceAll('/usr/bin/node ', `${process.execPath} `));
  return copy;
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `Key=value` lines of a unit (the last one wins, as in systemd; comments and sections skipped) */
function settings(name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(UNITS_DIR, name), 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe.skipIf(missing !== undefined)('deploy/systemd units', () => {
  it('ships a unit for the hub and one for steward-agent, and a sysusers.d entry', () => {
    expect(readdirSync(UNITS_DIR).sort()).toEqual(['steward-agent.service', 'steward-hub.service', 'steward.sysusers.conf']);
  });

  it.each(UNITS)('%s passes systemd-analyze verify with no warning', (name) => {
    const r = spawnSync('systemd-analyze', ['verify', unitPath(name)], { encoding: 'utf8' });
    expect({ status: r.status, output: `${r.stdout}${r.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });

  it.each(UNITS)('%s is hardened: systemd-analyze security rates its exposure at most 2.0', (name) => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', unitPath(name)], { encoding: 'utf8' });
    const m = /Overall exposure level for \S+: (\d+\.\d+)/.exec(out);
    expect(m, out.slice(-500)).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(2.0);
  });

  it.each([
    ['steward-hub.service', 'steward', 'hub/bin/steward-hub.mjs'],
    ['steward-agent.service', 'steward-agent', 'node-agent/bin/steward-agent.mjs'],
  ])('%s restarts what dies, runs as %s with its own 0700 data folder, and starts %s', (name, user, bin) => {
    const s = settings(name);
    expect(s.get('Restart')).toBe('always');
    expect(Number(s.get('RestartSec'))).toBeGreaterThan(0);
    expect(s.get('User')).toBe(user);
    expect(s.get('StateDirectory')).toBe(user);
    expect(s.get('StateDirectoryMode')).toBe('0700');
    expect(s.get('UMask')).toBe('0077');
    const exec = s.get('ExecStart')!.split(' ');
    expect(exec[0]).toBe('/usr/bin/node');
    // node's own flags come before the bin: the agent runs with the same memory flags as the demo's agents
    const binAt = exec.indexOf(`${INSTALL_ROOT}/${bin}`);
    expect(exec.slice(1, binAt)).toEqual(name === 'steward-agent.service' ? ['--max-semi-space-size=1', '--no-opt'] : []);
    expect(existsSync(join(ROOT, bin))).toBe(true);
    // the data folder on the command line is the state directory systemd makes
    expect(exec.slice(exec.indexOf('--data-dir'), exec.indexOf('--data-dir') + 2)).toEqual(['--data-dir', `/var/lib/${user}`]);
    for (const hardening of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'RestrictNamespaces', 'RestrictSUIDSGID', 'LockPersonality']) {
      expect(s.get(hardening), hardening).toBe('yes');
    }
    expect(s.get('ProtectSystem')).toBe('strict');
    expect(s.get('CapabilityBoundingSet')).toBe('');
  });

  it('systemd-sysusers accepts the users the units run as (dry run: nothing written)', () => {
    const conf = join(work, 'steward.conf');
    copyFileSync(join(UNITS_DIR, 'steward.sysusers.conf'), conf);
    const r = spawnSync('systemd-sysusers', ['--dry-run', conf], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = `${r.stdout}${r.stderr}`;
    for (const user of ['steward', 'steward-agent']) {
      // already there (a machine set up before), or would be created
      const known = spawnSync('getent', ['passwd', user]).status === 0;
      if (!known) expect(out).toContain(`Creating user '${user}'`);
    }
  });
});
