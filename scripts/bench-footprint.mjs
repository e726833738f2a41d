#!/usr/bin/env node
// `npm run bench:footprint`: what one node agent costs and how fast things come up, in one run, on the built
// JavaScript (rebuilt first if stale):
//  1. a bare `node -e "setInterval(()=>{},1e9)"`: its resident memory (VmRSS) is the floor any Node process pays;
//  2. a node agent hosting one simulated light, exactly as the demo runs each of its nodes (steward-sim writes an
//     agent config whose driver is @steward/simulators' driver module and starts `steward-agent start --config F`),
//     connected with credentials to an aedes broker on loopback (the hub's own embedded broker, started here in
//     process): "online" is the time from spawning it to its Homie `$state` = `ready` arriving at the broker; its
//     RSS is the largest of several samples over 3 s once online;
//  3. the hub: `npm start` (demo home, free ports, a fresh data dir) until its banner line.
// Ends with one line: `agent: rss <x> MB (bare node <b> MB), online <y> ms; hub: banner <z> ms`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@steward/device-adapters/build-check';

ensureBuilt('bench:footprint');
const { pino } = await import('pino');
const { startEmbeddedBroker } = await import('@steward/hub/broker/embedded-broker.ts');
const { AGENT_NODE_FLAGS } = await import('@steward/node-agent/node-flags.ts');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AGENT_BIN = join(ROOT, 'node-agent', 'bin', 'steward-agent.mjs');
const SAMPLES = 6;
const SAMPLE_EVERY_MS = 500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (kb) => (kb / 1024).toFixed(1);

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
  const online = new Promise((resolve) => {
    broker.aedes.on('publish', (packet) => {
      if (packet.topic === `homie/5/${nodeId}/$state` && packet.payload.toString() === 'ready') resolve(performance.now());
    });
  });
  const t0 = performance.now();
  // the command line steward-sim uses for each node of a home (simulators/src/fleet.ts), its Node flags included
  const agent = spawn(process.execPath, [...AGENT_NODE_FLAGS, AGENT_BIN, 'start', '--config', configFile, '--log-level', 'warn', '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = waitForLine(agent.stdout, new RegExp(`^ready ${nodeId} `), 30_000, 'steward-agent');
  const onlineMs = (await Promise.race([online, sleep(30_000).then(() => Promise.reject(new Error('the agent was not online after 30 s')))])) - t0;
  await ready;
  const agentKb = await maxRss(agent.pid);
  await stop(agent);
  await broker.close();
  console.log(`agent (one simulated light, node ${AGENT_NODE_FLAGS.join(' ')} steward-agent start --config): rss ${mb(agentKb)} MB, ${mb(agentKb - bareKb)} MB above bare node; online ${Math.round(onlineMs)} ms after spawn`);

  // 3. the hub: npm start until the banner
  const t1 = performance.now();
  const hub = spawn('npm', ['start', '--', '--http-port', '0', '--mqtt-port', '0', '--https-port', '0', '--mqtts-port', '0', '--data-dir', join(dir, 'hub-data'), '--log-level', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: npm, the hub, the simulator and its agents stop together
  });
  await waitForLine(hub.stdout, /^Steward hub is running\.$/, 60_000, 'npm start');
  const bannerMs = performance.now() - t1;
  await waitForLine(hub.stdout, /^Demo: \d+\/\d+ nodes online/, 60_000, 'npm start (demo)');
  const demoMs = performance.now() - t1;
  await stop(hub, true);
  console.log(`hub: banner ${Math.round(bannerMs)} ms after npm start, demo nodes online after ${Math.round(demoMs)} ms`);

  console.log(`agent: rss ${mb(agentKb)} MB (bare node ${mb(bareKb)} MB), online ${Math.round(onlineMs)} ms; hub: banner ${Math.round(bannerMs)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
