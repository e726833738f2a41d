/**
 * `npm run bench:faults -- [--home H | --devices N] [--clients C] [--rate R] [--before S] [--after S] [--seed S]
 *                          [--hub-log FILE]`
 *
 * Faults under load, with real processes: the hub (`steward-hub --no-demo --home H`, its own data folder, the
 * embedded broker and then Mosquitto), the home's agents as `steward-agent` processes under the benchmark's own
 * supervisor (`steward-sim home`, a child of this process, not of the hub: killing the hub neither orphans nor
 * duplicates them), and C clients sending R commands a second in total, half over the direct API and half as
 * sentences, one in flight per device, while the agents report. One fault after another, each under load:
 *
 *   1. kill -9 of the hub, restarted at once on the same data folder and ports;
 *   2. kill -9 of a third of the agents (their supervisor starts them again);
 *   3. on Mosquitto (the hub and the agents moved to it first), kill -9 of Mosquitto, restarted on the same port.
 *
 * For each: commands sent, acknowledged before the fault, lost (a device field whose state after recovery, asked of
 * its node, is neither its last acknowledged value nor that of a later command that got no answer; once per field)
 * and the time from the restart of what was killed (for the agents: from the kill) until every node is online in
 * the hub and acknowledges a real command. Last line:
 *
 *   faults: sent <n>, acknowledged <m>, lost <k>, back online in <s> s
 *
 * (sums over the faults; `s` is the slowest recovery). `--faults hub,agents,mosquitto` runs some of them only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadHome, type Home } from '@steward/device-adapters';
import { createHub, defaultFeatures } from '../hub.ts';
import { freePort } from '../net/listen.ts';
import { SHARED_COMMANDS, parseFlags } from './bench-args.ts';
import { startHubProcess, type HubProcess } from './fuzz/hub-process.ts';
import { Prng } from './fuzz/prng.ts';
import { generateHome } from './generated-home.ts';
import { CommandCatalog } from './faults/commands.ts';
import { Ledger } from './faults/ledger.ts';
import { Load, sendCommand, type HubTarget } from './faults/load.ts';
import { Mosquitto } from './faults/mosquitto.ts';
import { snapshotDevices } from './faults/snapshot.ts';
import { AgentSupervisor } from './faults/supervisor.ts';

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number) => {
  const v = flags.get(name);
  const n = typeof v === 'string' ? Number(v) : fallback;
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return n;
};
const clients = Math.max(1, Math.round(num('clients', 6)));
const rate = Math.max(1, num('rate', 300));
const beforeMs = num('before', 15) * 1000;
const afterMs = num('after', 5) * 1000;
const seed = Math.round(num('seed', 1));
const devicesArg = flags.get('devices');
const homeArg = flags.get('home');
const hubLog = flags.get('hub-log');
const FAULTS = ['hub', 'agents', 'mosquitto'] as const;
const only = flags.get('faults');
const faults = new Set(typeof only === 'string' ? only.split(',') : FAULTS);
for (const f of faults) if (!(FAULTS as readonly string[]).includes(f)) throw new Error(`--faults takes ${FAULTS.join(',')}, got ${f}`);

const say = (s: string) => process.stderr.write(`faults: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round1 = (ms: number) => Math.round(ms / 100) / 10;

const root = mkdtempSync(join(tmpdir(), 'steward-faults-'));
const dataDir = join(root, 'data');
const stateDir = join(root, 'agent-state');
const credentialsFile = join(root, 'agent-credentials.json');
let homeFile: string;
let home: Home;
if (typeof devicesArg === 'string') {
  home = generateHome(Number(devicesArg));
  homeFile = join(root, 'home.json');
  writeFileSync(homeFile, JSON.stringify(home));
} else {
  homeFile = typeof homeArg === 'string' ? resolve(homeArg) : join(SHARED_COMMANDS, 'home.json');
  home = loadHome(homeFile);
}
const nodeIds = home.nodes.map((n) => n.id);

/**
 * The owner's setup, as for agents that run on other machines: each node of the home gets its own MQTT login and
 * RPC secret from the hub's security (the same provisioning the demo uses, kept in the data folder's SQLite, so
 * they hold across restarts), and the benchmark an admin login to ask the nodes for their state.
 */
async function provision(): Promise<{ username: string; password: string }> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const setup = createHub(
    { homeFile, dataDir, logLevel: 'silent' },
    { logger: pino({ level: 'silent' }), features: defaultFeatures().filter((f) => ['store', 'registry', 'security'].includes(f.name)) },
  );
  await setup.start();
  try {
    const security = setup.feature('security');
    await security.provisionDemo(nodeIds, credentialsFile);
    const admin = await security.credentials.issue({ username: 'faults-bench', role: 'admin', source: 'admin' });
    return { username: admin.username, password: admin.password };
  } finally {
    await setup.stop();
  }
}

const catalog = new CommandCatalog(home);
const ledger = new Ledger();
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
// each node's answering check: its first device the load commands, set again to the value it holds
const probes = new Map<string, string>();
for (const d of catalog.devices) if (!probes.has(d.node)) probes.set(d.node, d.id);

const [httpPort, mqttPort, mosquittoPort] = [await freePort(), await freePort(), await freePort()];
let hub!: HubProcess;
let target!: HubTarget;
const startHub = async (mqttUrl?: string) => {
  hub = await startHubProcess({
    homeFile, dataDir, logLevel: 'warn', demo: false, httpPort, mqttPort, readyTimeoutMs: 60_000,
    ...(mqttUrl ? { args: ['--mqtt-url', mqttUrl] } : {}),
    ...(typeof hubLog === 'string' ? { logFile: resolve(hubLog) } : {}),
  });
  target = { httpUrl: hub.httpUrl, token: hub.token };
};

/** the last recovery's share until every node was online in the hub (before each answered a command) */
let lastOnlineMs = 0;
/**
 * From `since` until every node is online in the hub and acknowledges one real command (its probe device set to the
 * value it holds); polls every 100 ms. Returns the milliseconds, or throws after `timeoutMs`.
 */
async function backOnline(since: number, timeoutMs = 120_000): Promise<number> {
  const answered = new Set<string>();
  lastOnlineMs = NaN;
  for (;;) {
    if (hub.exited) throw new Error(`the hub exited (${JSON.stringify(hub.exited)})`);
    if (performance.now() - since > timeoutMs) throw new Error(`not back after ${timeoutMs} ms: ${nodeIds.filter((n) => !answered.has(n)).join(', ')} not answering`);
    const nodes = await fetch(`${target.httpUrl}/api/nodes`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.json() as Promise<{ nodes: { id: string; online: boolean }[] }>)
      .catch(() => undefined);
    const online = new Set(nodes?.nodes.filter((n) => n.online).map((n) => n.id) ?? []);
    if (Number.isNaN(lastOnlineMs) && online.size === nodeIds.length) lastOnlineMs = performance.now() - since;
    await Promise.all(
      nodeIds
        .filter((n) => online.has(n) && !answered.has(n))
        .map(async (nodeId) => {
          const deviceId = probes.get(nodeId);
          if (!deviceId) return answered.add(nodeId); // nothing to command on it: online is all there is
          const field = catalog.fieldOf(deviceId)!;
          const value = ledger.value(deviceId, field) ?? home.devices.find((d) => d.id === deviceId)!.state[field];
          await ledger.take(deviceId);
          try {
            if (await sendCommand(probeAgent, target, ledger, catalog.same(deviceId, field, value), 'faults-probe', 3000)) answered.add(nodeId);
          } finally {
            ledger.release(deviceId);
          }
        }),
    );
    if (answered.size === nodeIds.length) return performance.now() - since;
    await sleep(100);
  }
}

interface FaultResult {
  name: string;
  sent: number;
  ackedBefore: number;
  lost: number;
  backMs: number;
}

let snapshotLogin: { username: string; password: string } | undefined;
let snapshotUrl = '';
const load = new Load({ target: () => target, catalog, ledger, clients, rate, seed, timeoutMs: 10_000 });

/** one fault under load: load, the fault (returns when what was killed is restarted), recovery, more load, the check */
async function underLoad(name: string, inject: () => Promise<number>, supervisor: () => AgentSupervisor): Promise<FaultResult> {
  load.resetCounts();
  const started = performance.now();
  load.start();
  await sleep(beforeMs);
  const ackedBefore = load.counts.acked;
  const sentBefore = load.counts.sent;
  const restartedAt = await inject();
  const backMs = await backOnline(restartedAt);
  say(`  every node online in the hub after ${round1(lastOnlineMs)} s, answering after ${round1(backMs)} s`);
  await sleep(afterMs);
  await load.stop();
  const seconds = (performance.now() - started) / 1000;
  const states = await snapshotDevices(snapshotUrl, snapshotLogin, nodeIds);
  const lost = ledger.lost(states);
  ledger.settle(states);
  for (const l of lost) say(`  LOST ${l.deviceId}.${l.field}: acknowledged ${JSON.stringify(l.acknowledged)}${l.unconfirmed.length ? ` (or unanswered ${JSON.stringify(l.unconfirmed)})` : ''}, after recovery ${JSON.stringify(l.after)}`);
  const agents = supervisor().agentsByNode();
  const duplicates = [...agents].filter(([, pids]) => pids.length > 1).map(([n, pids]) => `${n} (${pids.join(', ')})`);
  const missing = nodeIds.filter((n) => !agents.has(n));
  if (duplicates.length || missing.length) say(`  AGENTS duplicated: ${duplicates.join('; ') || 'none'}; missing: ${missing.join(', ') || 'none'}`);
  const c = load.counts;
  say(
    `  ${name}: ${c.sent} commands in ${seconds.toFixed(1)} s (${Math.round(c.sent / seconds)}/s, ${c.text} as sentences), ${sentBefore} before the fault; ` +
      `${c.acked} acknowledged, ${c.failed} not; ${Object.keys(states).length} devices checked; agents ${agents.size}/${nodeIds.length}, duplicated ${duplicates.length}`,
  );
  process.stdout.write(`fault ${name}: sent ${c.sent}, acknowledged before the fault ${ackedBefore}, lost ${lost.length}, back online in ${round1(backMs)} s\n`);
  return { name, sent: c.sent, ackedBefore, lost: lost.length, backMs };
}

const t0 = performance.now();
say(`home ${homeFile}: ${nodeIds.length} nodes, ${home.devices.length} devices, ${catalog.devices.length} commanded (${catalog.sentences} traits with sentences); ${clients} clients at ${rate}/s in total; ${beforeMs / 1000} s before each fault, ${afterMs / 1000} s after recovery`);
const admin = await provision();
snapshotLogin = admin;
await startHub();
snapshotUrl = `mqtt://127.0.0.1:${mqttPort}`;
let supervisor = new AgentSupervisor({ homeFile, mqttUrl: snapshotUrl, credentialsFile, stateDir });
let mosquitto: Mosquitto | undefined;
const results: FaultResult[] = [];
let failure: unknown;
try {
  await supervisor.waitReady();
  say(`hub ${hub.pid} and ${nodeIds.length} agents under supervisor ${supervisor.pid} up in ${round1(performance.now() - t0)} s; every node answering after ${round1(await backOnline(performance.now()))} s more`);

  if (faults.has('hub')) {
    const kill = async () => {
      const pid = hub.pid;
      await hub.kill();
      const restartAt = performance.now();
      await startHub();
      say(`  hub ${pid} killed, restarted as ${hub.pid} in ${round1(performance.now() - restartAt)} s`);
      return restartAt;
    };
    results.push(await underLoad('hub kill -9', kill, () => supervisor));
  }

  if (faults.has('agents')) {
    const kill = async () => {
      const p = new Prng(seed);
      const victims = [...nodeIds].sort(() => p.next() - 0.5).slice(0, Math.ceil(nodeIds.length / 3));
      const at = performance.now();
      for (const n of victims) process.kill(supervisor.pids.get(n)!, 'SIGKILL');
      say(`  killed the agents of ${victims.join(', ')}`);
      void Promise.resolve().then(async () => {
        // when the supervisor had them ready again: the agents' own share of the recovery
        while (victims.some((n) => (supervisor.readyAt.get(n) ?? 0) < at)) {
          if (performance.now() - at > 120_000) return;
          await sleep(50);
        }
        say(`  their supervisor had them ready again after ${round1(Math.max(...victims.map((n) => supervisor.readyAt.get(n)!)) - at)} s`);
      });
      return at;
    };
    results.push(await underLoad('agents kill -9', kill, () => supervisor));
  }

  if (faults.has('mosquitto')) {
    // onto Mosquitto: the hub and the agents move to the external broker (a clean stop of both, the same data folder)
    const broker = (mosquitto = new Mosquitto(mosquittoPort, root));
    await broker.start();
    await supervisor.stop();
    await hub.stop();
    await startHub(broker.url);
    snapshotUrl = broker.url;
    snapshotLogin = undefined;
    supervisor = new AgentSupervisor({ homeFile, mqttUrl: broker.url, credentialsFile, stateDir });
    await supervisor.waitReady();
    say(`on Mosquitto ${broker.url}: every node answering after ${round1(await backOnline(performance.now()))} s`);
    const kill = async () => {
      await broker.kill();
      const at = performance.now();
      await broker.start();
      return at;
    };
    results.push(await underLoad('mosquitto kill -9', kill, () => supervisor));
  }
} catch (e) {
  failure = e;
} finally {
  await load.stop().catch(() => undefined);
  load.close();
  probeAgent.destroy();
  await supervisor.stop().catch(() => undefined);
  await hub.stop().catch(() => undefined);
  await mosquitto?.stop().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
}
if (failure) {
  say(`FAILED: ${(failure as Error).stack ?? String(failure)}`);
  process.exit(1);
}
const sum = (f: (r: FaultResult) => number) => results.reduce((s, r) => s + f(r), 0);
say(`done in ${Math.round((performance.now() - t0) / 1000)} s`);
process.stdout.write(
  `faults: sent ${sum((r) => r.sent)}, acknowledged ${sum((r) => r.ackedBefore)}, lost ${sum((r) => r.lost)}, back online in ${round1(Math.max(...results.map((r) => r.backMs)))} s\n`,
);
