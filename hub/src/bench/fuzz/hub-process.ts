import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../net/listen.ts';

const HUB_BIN = fileURLToPath(new URL('../../../bin/steward-hub.mjs', import.meta.url));


/**
 * The hub as a real process (`steward-hub`, with the demo: its agents as its `steward-sim` child), on loopback ports
 * of its own (given ones: a hub restarted on the same data folder comes back where its clients look for it).
 */
export interface HubProcess {
  pid: number;
  httpUrl: string;
  httpsUrl: string;
  mqttPort: number;
  token: string;
  /** the demo's per-node MQTT logins */
  nodeCredentials: Record<string, { username: string; password: string }>;
  /** set once the process has exited */
  exited: { code: number | null; signal: string | null } | undefined;
  /** stderr lines (the hub's logs) so far */
  logLines: () => number;
  maxRssMb: () => number;
  stop: () => Promise<void>;
  /** SIGKILL by PID, resolved once it is gone */
  kill: () => Promise<void>;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export async function startHubProcess(opts: {
  homeFile: string;
  dataDir: string;
  logLevel: string;
  readyTimeoutMs?: number;
  logFile?: string;
  /** default true: the hub runs the home's agents itself; false: `--no-demo`, the agents are someone else's */
  demo?: boolean;
  httpPort?: number;
  mqttPort?: number;
  /** more flags (`--mqtt-url URL`) */
  args?: string[];
}): Promise<HubProcess> {
  const demo = opts.demo ?? true;
  const httpPort = opts.httpPort ?? (await freePort());
  const mqttPort = opts.mqttPort ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [HUB_BIN, '--home', opts.homeFile, '--data-dir', opts.dataDir, '--http-port', String(httpPort), '--mqtt-port', String(mqttPort),
      '--https-port', '0', '--mqtts-port', '0', '--log-level', opts.logLevel, ...(demo ? [] : ['--no-demo']), ...(opts.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STEWARD_LOG_FORMAT: 'json' } },
  );
  let out = '';
  let logLines = 0;
  let tail = '';
  let maxRss = 0;
  const state: { exited: HubProcess['exited'] } = { exited: undefined };
  child.stdout!.on('data', (d: Buffer) => {
    if (out.length < 100_000) out += d.toString();
  });
  const logFile = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  child.stderr!.on('data', (d: Buffer) => {
    logFile?.write(d);
    tail = (tail + d.toString()).slice(-4000);
    for (const b of d) if (b === 10) logLines++;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      state.exited = { code, signal };
      logFile?.end();
      resolve();
    }),
  );
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssKb(child.pid!))), 250);
  sampler.unref();

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  while (!/^Stop with Ctrl-C\.$/m.test(out)) {
    if (state.exited) throw new Error(`the hub exited before it was ready (${JSON.stringify(state.exited)}); its last output:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the hub was not ready in time');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // no pairing on an external broker
  const httpsUrl = /Pair {2}(https:\/\/[^,\s]+)/.exec(out)?.[1] ?? '';
  if (!httpsUrl && !opts.args?.includes('--mqtt-url')) throw new Error(`no pairing URL in the hub's banner:\n${out}`);
  const token = readFileSync(join(opts.dataDir, 'admin-token'), 'utf8').trim();
  // the banner may come before the demo's agents are up: wait for their credentials and every node online
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  while (demo) {
    if (state.exited) throw new Error(`the hub exited while its agents started (${JSON.stringify(state.exited)}); its last output:\n${tail}`);
    const health = await fetch(`${httpUrl}/api/health`).then((r) => r.json() as Promise<{ nodes?: { online: number; total: number } }>).catch(() => undefined);
    if (existsSync(join(opts.dataDir, 'demo-credentials.json')) && health?.nodes && health.nodes.online === health.nodes.total) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the hub's agents were not online in time (${JSON.stringify(health?.nodes)})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const nodeCredentials = demo ? (JSON.parse(readFileSync(join(opts.dataDir, 'demo-credentials.json'), 'utf8')) as HubProcess['nodeCredentials']) : {};
  return {
    pid: child.pid!,
    httpUrl,
    httpsUrl,
    mqttPort,
    token,
    nodeCredentials,
    get exited() {
      return state.exited;
    },
    logLines: () => logLines,
    maxRssMb: () => Math.round(Math.max(maxRss, rssKb(child.pid!)) / 1024),
    async stop() {
      clearInterval(sampler);
      if (state.exited) return;
      // by PID: SIGTERM stops the hub and its agents; SIGKILL if it hangs
      process.kill(child.pid!, 'SIGTERM');
      const t = setTimeout(() => !state.exited && process.kill(child.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
    async kill() {
      clearInterval(sampler);
      if (state.exited) return;
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
