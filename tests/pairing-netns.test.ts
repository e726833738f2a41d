/**
 * Pairing across two hosts, with real parts only: two network namespaces joined by a veth pair; in one the hub's
 * security side (tests/helpers/pairing-hub-process.ts: createHubSecurity, a real aedes broker, HTTPS pairing
 * server, ciao advertising on the veth), in the other a real agent process (the steward-agent bin: `pair`, then `start --data-dir`) that
 * finds the hub by mDNS, pairs with the code, then runs the real NodeAgent over MQTT in TLS pinned to the hub and
 * executes a command the hub sends over RPC. avahi-browse in the agent's namespace is the third-party peer.
 * Skipped only when not root or without `ip netns`. Nothing leaves the namespaces.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_BIN } from '@steward/node-agent';
import { createNamespacePair, netnsUnavailable, startAvahi, startInNamespace, type AvahiPeer, type NamespacePair } from './helpers/netns.ts';
import { stopAllProcesses, type ManagedProcess } from './helpers/processes.ts';
import { waitUntil } from './helpers/wait.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const HUB_SCRIPT = join(ROOT, 'tests', 'helpers', 'pairing-hub-process.ts');
const unavailable = netnsUnavailable();
if (unavailable) console.warn(`pairing-netns: skipped: ${unavailable}`);

type Event = { event: string } & Record<string, any>;

describe.skipIf(unavailable !== undefined)('pairing between two network namespaces', () => {
  let ns: NamespacePair;
  let avahi: AvahiPeer | undefined;
  let hub: ManagedProcess;
  let agent: ManagedProcess | undefined;
  const dirs: string[] = [];
  let ready: Event;

  const events = () => hub.stdout.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Event] : []));
  const waitEvent = (pred: (e: Event) => boolean, what: string, timeoutMs = 20_000) =>
    waitUntil(() => events().find(pred), `${what}; hub stderr:\n${hub.stderr.slice(-10).join('\n')}`, timeoutMs);
  const send = (cmd: Record<string, unknown>) => hub.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'stw-netns-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    ns = createNamespacePair();
    avahi = await startAvahi(ns.agentNs, ns.agentIf);
    hub = startInNamespace(ns.hubNs, process.execPath, ['--conditions=source', '--import', 'tsx', HUB_SCRIPT, '--data-dir', tmp(), '--interface', ns.hubIf], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    ready = await waitEvent((e) => e.event === 'ready', 'the hub process to be ready', 30_000);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    if (hub) {
      hub.child.stdin?.end();
      await hub.stop();
    }
    await avahi?.stop();
    await stopAllProcesses();
    ns?.remove();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  it('serves HTTPS and MQTTS on the veth address only', () => {
    expect(ready.httpsUrl).toMatch(/^https:\/\/10\.200\.0\.1:\d+$/);
    expect(ready.mqttsUrl).toMatch(/^mqtts:\/\/10\.200\.0\.1:\d+$/);
    expect(ready.hubId).toMatch(/^h-[a-z2-7]{16}$/);
  });

  it('avahi-browse (a third-party peer) sees _steward._tcp with its hints, then the window opening', async () => {
    const txtOf = async (pair: '0' | '1') =>
      waitUntil(async () => (await avahi!.browse('_steward._tcp')).find((l) => l.includes(`"id=${ready.hubId}"`) && l.includes(`"pair=${pair}"`)), `avahi-browse to show pair=${pair}`, 25_000, 200);
    const closed = await txtOf('0');
    const fields = closed.split(';');
    expect(fields[1]).toBe(ns.agentIf);
    expect(fields[7]).toBe(ns.hubIp);
    expect(fields[8]).toBe(ready.httpsUrl.split(':')[2]);
    expect(closed).toContain(`"fp=${ready.fingerprint}"`);
    expect(closed).toContain(`"mqtts=${ready.mqttsUrl.split(':')[2]}"`);
    expect(closed).toContain('"pv=1"');
    // nothing secret: no code, no credentials in the hints
    expect(closed).not.toMatch(/code|pass|token/i);

    send({ cmd: 'open' });
    const opened = await waitEvent((e) => e.event === 'window', 'the pairing window');
    expect(opened.code).toMatch(/^\d{8}$/);
    expect(opened.qr).toBe(`steward://pair?hub=${ready.hubId}&host=${ns.hubIp}&port=${ready.httpsUrl.split(':')[2]}&fp=${ready.fingerprint}&code=${opened.code}`);
    expect(await txtOf('1')).not.toContain(opened.code);
  }, 60_000);

  it('an agent finds the hub by mDNS, pairs with the code, comes online and executes a command', async () => {
    const window = events().find((e) => e.event === 'window')!;
    const agentDir = tmp();
    const pair = startInNamespace(
      ns.agentNs,
      process.execPath,
      [AGENT_BIN, 'pair', '--code', window.code, '--data-dir', agentDir, '--interface', ns.agentIf, '--simulate', 'light', '--name', 'netns agent', '--area', 'living_room', '--log-level', 'warn'],
      { cwd: ROOT },
    );
    const exit = await pair.exited;
    expect(exit.code, `pair failed:\n${pair.stderr.join('\n')}`).toBe(0);
    const line = pair.stdout.find((l) => l.startsWith('paired '))!;
    const [, nodeId, , , hubId] = line.split(' ');
    expect(nodeId).toMatch(/^n-[a-z2-7]{16}$/);
    expect(hubId).toBe(ready.hubId);
    // typed code, fingerprint from mDNS: SRP-6a, never the light HMAC proof
    expect(line).toContain('(srp)');
    expect(statSync(join(agentDir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(agentDir, 'identity-key.pem')).mode & 0o777).toBe(0o600);

    const paired = await waitEvent((e) => e.event === 'paired', 'the hub to register the node');
    expect(paired.node.id).toBe(nodeId);
    expect(paired.node.source).toBe(ns.agentIp);
    const deviceId = paired.devices[0] as string;
    expect(deviceId).toMatch(/^light_[a-z2-7]{6}$/);

    agent = startInNamespace(ns.agentNs, process.execPath, [AGENT_BIN, 'start', '--data-dir', agentDir, '--log-level', 'warn'], { cwd: ROOT });
    await agent.waitForLine(new RegExp(`^ready ${nodeId} 1 devices`), 30_000, 'stdout');
    await waitEvent((e) => e.event === 'online' && e.nodeId === nodeId, 'the node to be online');

    send({ cmd: 'rpc', nodeId, method: 'command', body: { id: 'netns-1', deviceId, command: 'turnOn', params: {} } });
    const rpc = await waitEvent((e) => e.event === 'rpc' && e.response.id === 'netns-1', 'the RPC reply');
    expect(rpc.response).toMatchObject({ ok: true, deviceId, state: { on: true } });

    // one code pairs one node: the window closed and the hint says so
    await waitUntil(async () => (await avahi!.browse('_steward._tcp')).find((l) => l.includes(`"id=${ready.hubId}"`) && l.includes('"pair=0"')), 'pair=0 after use', 25_000, 200);
  }, 90_000);
});
