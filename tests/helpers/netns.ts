/**
 * Network namespaces for multi-host tests: two namespaces joined by a veth pair (10.200.0.1/24 and
 * 10.200.0.2/24), created and removed by the test as root. Nothing here touches eth0: every address, route and
 * multicast packet lives inside the namespaces. Processes run with `ip netns exec NS …` and are stopped by PID.
 */
import { execFile, execFileSync, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProcess, type ManagedProcess } from './processes.ts';
import { waitUntil } from './wait.ts';

const run = promisify(execFile);

/** why namespace tests cannot run here, or undefined when they can */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: network namespaces need root';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return '`ip netns` is not available (install iproute2)';
  }
  return undefined;
}

export interface NamespacePair {
  hubNs: string;
  agentNs: string;
  hubIf: string;
  agentIf: string;
  hubIp: string;
  agentIp: string;
  /** removes both namespaces (and with them the veth pair and everything bound to it); safe to call twice */
  remove(): void;
}

/** Two namespaces joined by a veth pair, loopback up in both. Names carry the PID so parallel runs do not clash. */
export function createNamespacePair(tag = String(process.pid % 100_000)): NamespacePair {
  const hubNs = `stw-hub-${tag}`;
  const agentNs = `stw-agt-${tag}`;
  // interface names are at most 15 characters
  const hubIf = `sth${tag}`.slice(0, 15);
  const agentIf = `sta${tag}`.slice(0, 15);
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const pair: NamespacePair = {
    hubNs,
    agentNs,
    hubIf,
    agentIf,
    hubIp: '10.200.0.1',
    agentIp: '10.200.0.2',
    remove() {
      for (const ns of [hubNs, agentNs]) {
        try {
          ip('netns', 'del', ns);
        } catch {
          // already gone
        }
      }
    },
  };
  pair.remove(); // leftovers of a run that was killed
  try {
    ip('netns', 'add', hubNs);
    ip('netns', 'add', agentNs);
    // created inside the hub namespace, so the pair never exists in the root namespace at all
    ip('-n', hubNs, 'link', 'add', hubIf, 'type', 'veth', 'peer', 'name', agentIf, 'netns', agentNs);
    ip('-n', hubNs, 'addr', 'add', `${pair.hubIp}/24`, 'dev', hubIf);
    ip('-n', agentNs, 'addr', 'add', `${pair.agentIp}/24`, 'dev', agentIf);
    for (const [ns, dev] of [[hubNs, hubIf], [agentNs, agentIf], [hubNs, 'lo'], [agentNs, 'lo']] as const) ip('-n', ns, 'link', 'set', dev, 'up');
  } catch (e) {
    pair.remove();
    throw new Error(`cannot create the test namespaces: ${(e as { stderr?: Buffer }).stderr?.toString() ?? (e as Error).message}`);
  }
  return pair;
}

/** `ip netns exec NS command args…` as a tracked process (PID is the command's: ip execs it) */
export function startInNamespace(ns: string, command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
  return startProcess('ip', ['netns', 'exec', ns, command, ...args], options);
}

export interface AvahiPeer {
  /** resolved `avahi-browse -rtp` lines (`=;iface;IPv4;name;type;domain;host;address;port;"txt"…`) */
  browse(serviceType: string, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real third-party mDNS peer in a namespace: its own D-Bus system bus (a socket in a temp dir, not
 * /run/dbus) and avahi-daemon with a private /run (a tmpfs in its own mount namespace), allowed on
 * one interface only, publishing nothing.
 */
export async function startAvahi(ns: string, iface: string): Promise<AvahiPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'stw-avahi-'));
  const bus = join(dir, 'bus');
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${bus}` };
  writeFileSync(
    join(dir, 'avahi-daemon.conf'),
    ['[server]', 'use-ipv4=yes', 'use-ipv6=no', `allow-interfaces=${iface}`, 'enable-dbus=yes', '[wide-area]', 'enable-wide-area=no', '[publish]', 'disable-publishing=yes', ''].join('\n'),
  );
  const dbus = startInNamespace(ns, 'dbus-daemon', ['--system', '--nofork', '--nopidfile', `--address=unix:path=${bus}`]);
  let avahi: ManagedProcess | undefined;
  const stop = async () => {
    await avahi?.stop();
    await dbus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => existsSync(bus) || !dbus.isRunning(), 'the test D-Bus socket', 10_000);
    if (!dbus.isRunning()) throw new Error(`dbus-daemon exited: ${dbus.stderr.join('\n')}`);
    // a private /run (tmpfs in this mount namespace only): the host's /run is not touched, not even by mkdir
    const script = `mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && exec avahi-daemon -f '${dir}/avahi-daemon.conf' --no-drop-root --no-chroot --no-rlimits --no-proc-title`;
    avahi = startInNamespace(ns, 'unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { env });
    await avahi.waitForLine(/Server startup complete/, 15_000, 'stderr');
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    async browse(serviceType, timeoutMs = 8_000) {
      // -t ends once the cache is dumped and resolvers are done; execFile's timeout kills this child by PID
      const { stdout } = await run('ip', ['netns', 'exec', ns, 'avahi-browse', '-rtpk', serviceType], { env, timeout: timeoutMs }).catch(
        (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
      );
      return stdout.split('\n').filter((l) => l.startsWith('='));
    },
    stop,
  };
}

/**
 * An HTTP request made from inside a namespace (its loopback is not ours, so the hub's loopback API is only
 * reachable there): Node's fetch in a short-lived process. The token travels in the environment, not the argv.
 */
export async function fetchInNamespace(
  ns: string,
  url: string,
  opts: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const script = `
const [url, method, body] = process.argv.slice(1);
const headers = {};
if (process.env.STW_TOKEN) headers.authorization = 'Bearer ' + process.env.STW_TOKEN;
if (body) headers['content-type'] = 'application/json';
fetch(url, { method, headers, ...(body ? { body } : {}) })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() })))
  .catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const body = opts.body === undefined ? '' : JSON.stringify(opts.body);
  const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script, url, opts.method ?? 'GET', body], {
    env: { ...process.env, STW_TOKEN: opts.token ?? '' },
    timeout: 15_000,
  });
  const r = JSON.parse(stdout) as { status: number; text: string };
  let parsed: unknown = r.text;
  try {
    parsed = r.text === '' ? undefined : JSON.parse(r.text);
  } catch {
    // not JSON: the text, for the assertion message
  }
  return { status: r.status, body: parsed };
}
