/**
 * `npm run fuzz -- [--count N] [--seed S] [--home H] [--check-every K] [--concurrency C] [--hub-log FILE] [--verbose]`
 *
 * Hostile input over every surface of a real hub: the hub as its own process (`steward-hub`: embedded broker with
 * its ACL, SQLite in a temporary data folder, the home's agents as real `steward-sim` processes), fed generated
 * malformed, truncated, oversized, deeply nested, wrongly typed and invalid-UTF-8 inputs: MQTT payloads on every
 * topic the hub and the agents subscribe to (as a node, a controller and anonymously), raw bytes that break MQTT,
 * HTTP bodies, headers, query strings and paths on every route of /api/schema, raw HTTP, and the HTTPS pairing
 * exchange; about 1 % of the inputs, since each costs a decoder or a planner run: hostile audio to /api/voice, and
 * requests to the planner answered by a hostile OpenAI-compatible model (fuzz/model-surface.ts). Every `--check-every` inputs the hub must answer /api/health and a node must acknowledge one real
 * command; a crash is a process that died or a check that failed (the hub then restarts on the same data folder).
 * Each input draws from its own PRNG seeded by (seed, index): a run is reproducible whatever the interleaving.
 *
 * Last line: `fuzz: <N> inputs, <c> crashes, max RSS <x> MB` (the hub process's VmRSS, sampled every 250 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadHome, type Home } from '@steward/device-adapters';
import { SHARED_COMMANDS, parseFlags } from './bench-args.ts';
import { startHubProcess, type HubProcess } from './fuzz/hub-process.ts';
import { HttpSurface, documentedRoutes } from './fuzz/http-surface.ts';
import { AudioSurface } from './fuzz/audio-surface.ts';
import { HostileModel, ModelSurface } from './fuzz/model-surface.ts';
import { MqttSurface } from './fuzz/mqtt-surface.ts';
import { Prng } from './fuzz/prng.ts';
import { RawMqttSurface } from './fuzz/raw-mqtt-surface.ts';

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number) => {
  const v = flags.get(name);
  const n = typeof v === 'string' ? Number(v) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};
const count = num('count', 100_000);
const seed = num('seed', 1);
const checkEvery = Math.max(1, num('check-every', 2000));
const concurrency = Math.max(1, num('concurrency', 16));
const verbose = flags.has('verbose');
const homeArg = flags.get('home');
const hubLog = flags.get('hub-log');
const homeFile = typeof homeArg === 'string' ? resolve(homeArg) : join(SHARED_COMMANDS, 'home.json');
const home: Home = loadHome(homeFile);

// the check's device: the first one that turns on and off without the owner's yes; the node client fuzzes another node
const checkDevice = home.devices.find((d) => d.traits.includes('onOff') && d.confirm.length === 0);
if (!checkDevice) throw new Error(`${homeFile} has no device that turns on and off without confirmation`);
const victim = [...home.nodes].reverse().find((n) => n.id !== checkDevice.node)?.id ?? checkDevice.node;

const say = (s: string) => process.stderr.write(`fuzz: ${s}\n`);
const dataDir = mkdtempSync(join(tmpdir(), 'steward-fuzz-'));

interface Surfaces {
  hub: HubProcess;
  mqtt: MqttSurface;
  raw: RawMqttSurface;
  http: HttpSurface;
  audio: AudioSurface;
  model: ModelSurface;
}

// the planner's model: every reply hostile
const hostileModel = new HostileModel();
await hostileModel.start();

async function start(): Promise<Surfaces> {
  const hub = await startHubProcess({
    homeFile, dataDir, logLevel: verbose ? 'info' : 'warn', args: ['--llm-url', hostileModel.url, '--llm-model', 'fuzz'],
    ...(typeof hubLog === 'string' ? { logFile: resolve(hubLog) } : {}),
  });
  const auth = { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' };
  const username = `fuzz-controller-${Date.now()}`;
  const issued = await fetch(`${hub.httpUrl}/api/mqtt-credentials`, { method: 'POST', headers: auth, body: JSON.stringify({ username, role: 'controller' }) });
  if (!issued.ok) throw new Error(`POST /api/mqtt-credentials: ${issued.status} ${await issued.text()}`);
  const controller = (await issued.json()) as { username: string; password: string };
  const node = hub.nodeCredentials[victim];
  if (!node) throw new Error(`no demo credentials for node ${victim}`);
  const routes = await documentedRoutes(hub.httpUrl);
  return {
    hub,
    mqtt: new MqttSurface(home, { port: hub.mqttPort, victim, node, controller }),
    raw: new RawMqttSurface(hub.mqttPort),
    http: new HttpSurface({ httpUrl: hub.httpUrl, httpsUrl: hub.httpsUrl, token: hub.token, routes }),
    audio: new AudioSurface({ httpUrl: hub.httpUrl, token: hub.token }),
    model: new ModelSurface({ httpUrl: hub.httpUrl, token: hub.token }),
  };
}

async function stopSurfaces(s: Surfaces): Promise<void> {
  await s.mqtt.close();
  s.http.close();
}

let onOff = false;
/** the hub answers /api/health and a node acknowledges one real command; returns why not */
async function check(s: Surfaces): Promise<string | undefined> {
  if (s.hub.exited) return `the hub exited (${JSON.stringify(s.hub.exited)})`;
  try {
    const health = await fetch(`${s.hub.httpUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
    const body = (await health.json()) as { ok?: boolean; nodes?: { online: number; total: number } };
    if (!health.ok || body.ok !== true) return `/api/health answered ${health.status}`;
    // the victim node's session is taken over now and then by the fuzzing client: all others must be online
    if ((body.nodes?.online ?? 0) < home.nodes.length - 1) return `only ${body.nodes?.online}/${home.nodes.length} nodes online`;
    onOff = !onOff;
    const r = await fetch(`${s.hub.httpUrl}/api/devices/${checkDevice!.id}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: onOff ? 'turnOn' : 'turnOff' }),
      signal: AbortSignal.timeout(15_000),
    });
    const result = (await r.json()) as { ok?: boolean };
    if (r.status !== 200 || result.ok !== true) return `${checkDevice!.id} ${onOff ? 'turnOn' : 'turnOff'}: ${r.status} ${JSON.stringify(result)}`;
  } catch (e) {
    return `check failed: ${(e as Error).message}`;
  }
  return undefined;
}

function send(s: Surfaces, i: number): Promise<string> {
  const p = new Prng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
  const r = p.next();
  // audio and the model: half a percent each (a decoder run, a planner loop)
  if (r < 0.005) return s.audio.send(p);
  if (r < 0.01) return s.model.send(p);
  if (r < 0.455) return s.mqtt.send(p);
  if (r < 0.555) return s.raw.send(p);
  return s.http.send(p);
}

const t0 = performance.now();
say(`seed ${seed}, ${count} inputs, home ${homeFile} (${home.nodes.length} nodes), check every ${checkEvery} on ${checkDevice.id}, node client as ${victim}`);
let s = await start();
let crashes = 0;
let maxRss = 0;
const serverErrors = new Map<string, number>();
let sent = 0;
const timing = new Map<string, { n: number; ms: number }>();
try {
  while (sent < count) {
    const until = Math.min(count, sent + checkEvery);
    // a pool of `concurrency` workers, each taking the next index: one slow input holds up only its worker
    const worker = async () => {
      while (sent < until && !s.hub.exited) {
        const i = sent++;
        const started = performance.now();
        const o = await send(s, i).catch((e: Error) => `error ${e.message}`);
        const surface = o.split(' ').slice(0, 2).join(' ');
        const t = timing.get(surface) ?? { n: 0, ms: 0 };
        timing.set(surface, { n: t.n + 1, ms: t.ms + performance.now() - started });
        if (/ 5xx | timeout |^error /.test(o)) serverErrors.set(o, (serverErrors.get(o) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const problem = await check(s);
    if (problem) {
      crashes++;
      say(`CRASH after input ${sent}: ${problem}`);
      maxRss = Math.max(maxRss, s.hub.maxRssMb());
      await stopSurfaces(s);
      await s.hub.stop();
      s = await start();
    } else if (verbose || sent % (checkEvery * 5) === 0 || sent === count) {
      say(`${sent} inputs, ${Math.round((performance.now() - t0) / 1000)} s, hub RSS max ${s.hub.maxRssMb()} MB, ${s.hub.logLines()} log lines`);
    }
  }
} finally {
  maxRss = Math.max(maxRss, s.hub.maxRssMb());
  await stopSurfaces(s);
  await s.hub.stop();
  await hostileModel.close();
  rmSync(dataDir, { recursive: true, force: true });
}
say(`the hostile model answered ${hostileModel.replies} chat completions`);
for (const [surface, t] of timing) say(`  ${surface}: ${t.n} inputs, ${(t.ms / t.n).toFixed(1)} ms each`);
for (const [what, n] of [...serverErrors].sort((a, b) => b[1] - a[1]).slice(0, 20)) say(`  ${n}× ${what}`);
say(`done in ${Math.round((performance.now() - t0) / 1000)} s; ${serverErrors.size} kinds of server error or timeout`);
process.stdout.write(`fuzz: ${count} inputs, ${crashes} crashes, max RSS ${maxRss} MB\n`);
