#!/usr/bin/env node
// `npm run bench:footprint`: what one node agent costs and how fast things come up, in one run, on the built
// JavaScript (rebuilt first if stale):
//  1. a bare `node -e "setInterval(()=>{},1e9)"`: its resident memory (VmRSS) is the floor any Node process pays;
//  2. a node agent hosting one simulated light, exactly as the demo runs each of its nodes (steward-sim writes an
//     agent config whose driver is @steward/simulators' driver module and starts `steward-agent start --config F`),
//     connected with credentials to an aedes broker on loopback (the hub's own embedded broker, started here in
//     process): "online" is the time from spawning it to its Homie `$state` = `ready` arriving at the broker; its
//     RSS is the largest of several samples over 3 s once online; three runs, the medians reported (and, for scale,
//     how long a bare `node -e 0` takes to start and exit on this machine at that moment);
//  3. the hub: `npm start` (demo home, free ports, a fresh data dir) until its banner line.
// Ends with one line: `agent: rss <x> MB (bare node <b> MB), online <y> ms; hub: banner <z> ms`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@steward/device-adapters/build-check';
import { descendants } from '../tests/helpers/process-tree.mjs';

ensureBuilt('bench:footprint');
const { pino } = await import('pino');
const { startEmbeddedBroker } = await import('@steward/hub/broker/embedded-broker.ts');
const { AGENT_NODE_FLAGS } = await import('@steward/node-agent/node-flags.ts');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AGENT_BIN = join(ROOT, 'node-agent', 'bin', 'steward-agent.mjs');
const SAMPLES = 6;
/** agent runs (and bare start-ups): the medians are reported */
const RUNS = 3;
const SAMPLE_EVERY_MS = 500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (kb) => (kb / 1024).toFixed(1);

/** CPU time (user + system) a live process has used so far, in ms (clock ticks of 10 ms) */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** VmRSS of a live process, in kB */
function rssKb(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

async function maxRss(pid) {
  let max = 0;
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(SAMPLE_EVERY_MS);
    max = Math.max(max, rssKb(pid));
  }
  return max;
}

/** SIGTERM by PID (or process group), SIGKILL after 10 s */
async function stop(child, group = false) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (sig) => {
    try {
      process.kill(group ? -child.pid : child.pid, sig);
    } catch (e) {
      if (e.code !== 'ESRCH') throw e;
    }
  };
  kill('SIGTERM');
  const killer = setTimeout(() => kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

function waitForLine(stream, re, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no line matching ${re} after ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: stream }).on('line', (line) => {
      if (re.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'steward-footprint-'));
// times depend on what else the machine is doing: say so beside them
console.log(`node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
try {
  // 1. bare node
  const bare = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' });
  await sleep(500);
  const bareKb = await maxRss(bare.pid);
  await stop(bare);
  console.log(`bare node: rss ${mb(bareKb)} MB (largest of ${SAMPLES} samples)`);

  // 2. one agent, one simulated light, on a broker with credentials
  const username = 'footprint-light';
  const password = 'footprint-secret';
  const broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    maxPacketBytes: 512 * 1024,
    logger: pino({ level: 'silent' }),
    hooks: {
      authenticate: (_client, user, pass, done) => done(null, user === username && pass?.toString() === password),
    },
  });
  const nodeId = 'footprint-node';
  const config = {
    mqtt: { url: broker.url, username, password },
    node: { id: nodeId, name: 'footprint node', kind: 'gateway' },
    devices: [
      {
        descriptor: { id: 'bench_light', type: 'light', names: { en: ['bench light'], zh: ['测试灯'] }, traits: ['onOff', 'brightness'], attributes: {} },
        state: { on: false, brightness: 50 },
        driver: { module: '@steward/simulators/driver-module.ts', options: { timeScale: 1, nodeKind: 'gateway' } },
      },
    ],
  };
  const configFile = join(dir, 'agent.json');
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  /** one agent run: spawn to Homie `ready` at the broker, then its RSS */
  async function agentRun() {
    const online = new Promise((resolve) => {
      const onPublish = (packet) => {
        if (packet.topic === `homie/5/${nodeId}/$state` && packet.payload.toString() === 'ready') {
          broker.aedes.removeListener('publish', onPublish);
          resolve(performance.now());
        }
      };
      broker.aedes.on('publish', onPublish);
    });
    const t0 = performance.now();
    // the command line steward-sim uses for each node of a home (simulators/src/fleet.ts), its Node flags included
    const agent = spawn(process.execPath, [...AGENT_NODE_FLAGS, AGENT_BIN, 'start', '--config', configFile, '--log-level', 'warn', '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const ready = waitForLine(agent.stdout, new RegExp(`^ready ${nodeId} `), 30_000, 'steward-agent');
    const onlineMs = (await Promise.race([online, sleep(30_000).then(() => Promise.reject(new Error('the agent was not online after 30 s')))])) - t0;
    // on a busy machine wall time is mostly waiting for a core: the CPU time it took tells them apart
    const cpu = cpuMs(agent.pid);
    await ready;
    const kb = await maxRss(agent.pid);
    await stop(agent);
    console.log(`  agent run: online ${Math.round(onlineMs)} ms (${cpu} ms of CPU), rss ${mb(kb)} MB`);
    return { onlineMs, kb, cpu };
  }
  // how long this machine takes right now to start and end a bare Node process: the floor under "online"
  const bareStart = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await new Promise((resolve) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).once('exit', resolve));
    bareStart.push(performance.now() - t);
  }
  console.log(`bare node: starts and exits in ${Math.round(median(bareStart))} ms (median of ${RUNS})`);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await agentRun());
  await broker.close();
  const onlineMs = median(runs.map((r) => r.onlineMs));
  const onlineCpu = median(runs.map((r) => r.cpu));
  const agentKb = median(runs.map((r) => r.kb));
  console.log(`agent (one simulated light, node ${AGENT_NODE_FLAGS.join(' ')} steward-agent start --config), median of ${RUNS} runs: rss ${mb(agentKb)} MB, ${mb(agentKb - bareKb)} MB above bare node; online ${Math.round(onlineMs)} ms after spawn, using ${onlineCpu} ms of CPU`);

  // 3. the hub: npm start until the banner, on a fresh data dir (the first start also makes its TLS certificate and
  // admin token), then once more on the same data dir (a restart)
  async function hubStart() {
    const t1 = performance.now();
    const hub = spawn('npm', ['start', '--', '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', join(dir, 'hub-data'), '--log-level', 'error'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group: npm, the hub, the simulator and its agents stop together
    });
    await waitForLine(hub.stdout, /^Steward hub is running\.$/, 60_000, 'npm start');
    const bannerMs = performance.now() - t1;
    // CPU time so far of npm and of the hub's own node process (found under npm's shell by its command line)
    const hubPid = descendants(hub.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] === 'hub/bin/steward-hub.mjs');
    const cpu = { npm: cpuMs(hub.pid), hub: hubPid ? cpuMs(hubPid) : NaN };
    await waitForLine(hub.stdout, /^Demo: \d+\/\d+ nodes online/, 60_000, 'npm start (demo)');
    const demoMs = performance.now() - t1;
    await stop(hub, true);
    return { bannerMs, demoMs, cpu };
  }
  const first = await hubStart();
  const hubLine = (r) => `banner ${Math.round(r.bannerMs)} ms after npm start (CPU by then: hub ${r.cpu.hub} ms, npm ${r.cpu.npm} ms), demo nodes online after ${Math.round(r.demoMs)} ms`;
  console.log(`hub, first start: ${hubLine(first)}`);
  const again = await hubStart();
  console.log(`hub, restart: ${hubLine(again)}`);
  const bannerMs = first.bannerMs;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);

  console.log(`agent: rss ${mb(agentKb)} MB (bare node ${mb(bareKb)} MB), online ${Math.round(onlineMs)} ms; hub: banner ${Math.round(bannerMs)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
