import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { RpcSecretSchema, StewardError, loadHome, type Home } from '@steward/device-adapters';
import { AGENT_BIN, AGENT_NODE_FLAGS, Backoff, type AgentConfigInput } from '@steward/node-agent';
import { DRIVER_MODULE } from './driver-module.ts';
import { DISCOVERY_MODULE, SimDiscoveryOptionsSchema } from './discovery-module.ts';

/**
 * `--credentials FILE`: per node id, the MQTT credentials for its connection (embedded broker) and the RPC secret
 * the hub signs its commands with (always, when the hub provisions the node; on an external broker it is all there is).
 */
export const FleetCredentialsSchema = z.record(
  z.string(),
  z
    .object({ username: z.string().min(1).optional(), password: z.string().optional(), rpcSecret: RpcSecretSchema.optional() })
    .strict()
    .refine((c) => (c.username === undefined) === (c.password === undefined), 'give username and password together'),
);
export type FleetCredentials = z.infer<typeof FleetCredentialsSchema>;

export interface FleetOptions {
  /** a validated home, or the path of a home file */
  home: Home | string;
  /** broker URL, e.g. mqtt://127.0.0.1:1883 */
  url: string;
  /** simulated time speed (default 1: real time) */
  timeScale?: number;
  credentials?: FleetCredentials;
  /**
   * keep each node's device states in `<stateDir>/<node id>.json` (written on every change): a restarted fleet,
   * or a restarted agent, resumes where it was instead of at the home file's initial states
   */
  stateDir?: string;
  /** the agents' log level (default warn) */
  logLevel?: string;
  /** forward the agents' stderr (JSON logs) to ours (default true) */
  forwardLogs?: boolean;
  /** how long to wait for every node to be ready (default 60 s) */
  readyTimeoutMs?: number;
  /**
   * an agent that exits on its own is started again after a delay that doubles from `minMs` up to `maxMs` and goes
   * back to `minMs` once an agent has stayed up `stableMs`; `false`: not restarted. Default 1 s, 30 s, 60 s.
   */
  restart?: RestartPolicy | false;
  /** a node is ready: at start, and again after each restart (with its new PID) */
  onNodeReady?: (node: FleetNode) => void;
  /** an agent exited while the fleet was running */
  onNodeExit?: (node: FleetNode, code: number | null, signal: NodeJS.Signals | null) => void;
  /** an agent that exited is being started again after `delayMs` (its `restarts`-th restart) */
  onNodeRestart?: (node: FleetNode, info: { delayMs: number; restarts: number }) => void;
}

export interface RestartPolicy {
  minMs: number;
  maxMs: number;
  stableMs: number;
}

const DEFAULT_RESTART: RestartPolicy = { minMs: 1000, maxMs: 30_000, stableMs: 60_000 };

export interface FleetNode {
  nodeId: string;
  pid: number;
  devices: string[];
}

export interface Fleet {
  /** each node with the PID of its agent now (a restarted agent has a new one) */
  readonly nodes: FleetNode[];
  /** stops every agent (SIGTERM by PID, SIGKILL after 10 s) and removes their config files */
  stop(): Promise<void>;
}

/**
 * The agent config that hosts one node of a home with simulated drivers. A node with `found` devices also runs the
 * simulated discovery module (ecosystem `sim`) in `dataDir`, where it keeps what was adopted and commissioned.
 */
export function agentConfigForNode(
  home: Home,
  nodeId: string,
  opts: { url: string; timeScale?: number; credentials?: FleetCredentials; stateDir?: string; dataDir?: string },
): AgentConfigInput {
  const node = home.nodes.find((n) => n.id === nodeId);
  if (!node) throw new StewardError('NOT_FOUND', `the home has no node ${nodeId}`);
  const creds = opts.credentials?.[nodeId];
  const stateFile = opts.stateDir === undefined ? undefined : join(resolve(opts.stateDir), `${node.id}.json`);
  const discovery = node.found?.length ? discoveryFor(node.id, node.found, opts.timeScale ?? 1, opts.dataDir) : {};
  return {
    ...discovery,
    mqtt: { url: opts.url, ...(creds?.username !== undefined ? { username: creds.username, password: creds.password } : {}) },
    ...(creds?.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
    node: { id: node.id, name: node.names.en?.[0] ?? node.id, kind: node.kind },
    devices: home.devices
      .filter((d) => d.node === nodeId)
      .map((d) => ({
        descriptor: { id: d.id, type: d.type, names: d.names, traits: d.traits, attributes: d.attributes },
        state: d.state,
        confirm: d.confirm,
        driver: { module: DRIVER_MODULE, options: { timeScale: opts.timeScale ?? 1, nodeKind: node.kind, ...(stateFile ? { stateFile } : {}) } },
      })),
  };
}

/** the simulated discovery module's options from a home node's `found` list, checked here so a bad code fails early */
function discoveryFor(nodeId: string, found: NonNullable<Home['nodes'][number]['found']>, timeScale: number, dataDir: string | undefined): Pick<AgentConfigInput, 'dataDir' | 'discovery'> {
  if (dataDir === undefined) throw new StewardError('BAD_REQUEST', `node ${nodeId} finds devices: its agent needs a data folder`);
  const options = SimDiscoveryOptionsSchema.safeParse({
    ecosystem: 'sim',
    timeScale,
    devices: found.map(({ key, label, state, setupCode, ...descriptor }) => ({ key, label, state, descriptor, ...(setupCode !== undefined ? { setupCode } : {}) })),
  });
  if (!options.success) {
    throw new StewardError('BAD_REQUEST', `node ${nodeId}: found devices: ${options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { dataDir: resolve(dataDir), discovery: [{ module: DISCOVERY_MODULE, options: options.data as unknown as Record<string, unknown> }] };
}

interface Running {
  pid: number;
  child: ChildProcess;
  exited: Promise<void>;
  stderrTail: string[];
  startedAt: number;
}

/** One node's agent under supervision: started again with backoff whenever it exits on its own. */
interface Supervised {
  nodeId: string;
  devices: string[];
  configFile: string;
  current: Running;
  restarts: number;
  backoff: Backoff;
  restartTimer?: NodeJS.Timeout;
}

/** Starts one node-agent process per node of the home and resolves when every node is ready. */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const home = typeof opts.home === 'string' ? loadHome(opts.home) : opts.home;
  for (const id of Object.keys(opts.credentials ?? {})) {
    if (!home.nodes.some((n) => n.id === id)) throw new StewardError('BAD_REQUEST', `credentials name unknown node ${id}`);
  }
  if (opts.stateDir !== undefined) mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const restart = opts.restart === false ? undefined : { ...DEFAULT_RESTART, ...opts.restart };
  const dir = mkdtempSync(join(tmpdir(), 'steward-sim-'));
  const supervised: Supervised[] = [];
  let stopping = false;
  const view = (s: Supervised): FleetNode => ({ nodeId: s.nodeId, pid: s.current.pid, devices: s.devices });

  const stop = async () => {
    stopping = true;
    for (const s of supervised) clearTimeout(s.restartTimer);
    await Promise.all(supervised.map((s) => stopChild(s.current)));
    rmSync(dir, { recursive: true, force: true });
  };

  /** watches an agent: when it exits on its own, says so and (with a restart policy) starts it again later */
  const watch = (s: Supervised) => {
    const r = s.current;
    void r.exited.then(() => {
      if (stopping || s.current !== r) return;
      opts.onNodeExit?.(view(s), r.child.exitCode, r.child.signalCode);
      if (!restart) return;
      if (Date.now() - r.startedAt >= restart.stableMs) s.backoff.reset();
      const delayMs = s.backoff.next();
      s.restarts++;
      opts.onNodeRestart?.(view(s), { delayMs, restarts: s.restarts });
      s.restartTimer = setTimeout(() => {
        s.restartTimer = undefined;
        if (stopping) return;
        try {
          s.current = spawnAgent(s.nodeId, s.configFile, opts);
        } catch {
          // could not even spawn (fork failed): try again later, with the next delay
          s.current = { ...r };
          return watch(s);
        }
        watch(s);
        whenReady(s.nodeId, s.current, opts.readyTimeoutMs ?? 60_000).then(
          () => opts.onNodeReady?.(view(s)),
          () => undefined, // it exited before it was ready: watch() restarts it again
        );
      }, delayMs);
    });
  };

  try {
    const ready = home.nodes.map((node) => {
      // the node's own folder (what its discovery adopted and commissioned): beside its states, or with the configs
      const dataDir = opts.stateDir !== undefined ? join(resolve(opts.stateDir), node.id) : join(dir, `${node.id}-data`);
      if (node.found?.length) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const config = agentConfigForNode(home, node.id, { ...opts, dataDir });
      const file = join(dir, `${node.id}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 }); // may hold credentials
      const s: Supervised = {
        nodeId: node.id,
        devices: config.devices?.map((d) => d.descriptor.id) ?? [],
        configFile: file,
        current: spawnAgent(node.id, file, opts),
        restarts: 0,
        backoff: new Backoff(restart?.minMs ?? 1000, restart?.maxMs ?? 30_000),
      };
      supervised.push(s);
      // at start a failing agent fails the fleet (a bad home or driver would only loop); supervision starts once all are ready
      return whenReady(s.nodeId, s.current, opts.readyTimeoutMs ?? 60_000).then(() => opts.onNodeReady?.(view(s)));
    });
    await Promise.all(ready);
  } catch (e) {
    await stop();
    throw e;
  }
  for (const s of supervised) watch(s);
  return {
    get nodes() {
      return supervised.map(view);
    },
    stop,
  };
}

/**
 * Runs the agent bin. Its command line names it: argv[0] is `steward-agent` and `--node <id>` is the node it hosts,
 * so `ps` tells the demo's agents apart.
 */
function spawnAgent(nodeId: string, configFile: string, opts: FleetOptions): Running {
  const args = [...AGENT_NODE_FLAGS, AGENT_BIN, 'start', '--node', nodeId, '--config', configFile, '--log-level', opts.logLevel ?? 'warn', '--exit-with-stdin'];
  // stdin is a lifeline: if this process dies, even by SIGKILL, the pipe closes and the agent exits
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], argv0: 'steward-agent' });
  if (child.pid === undefined) throw new StewardError('INTERNAL', `could not start the agent of ${nodeId}`);
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    if (opts.forwardLogs !== false) process.stderr.write(`${line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { pid: child.pid, child, exited, stderrTail, startedAt: Date.now() };
}

function whenReady(nodeId: string, r: Running, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StewardError('TIMEOUT', `node ${nodeId} was not ready after ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: r.child.stdout! }).on('line', (line) => {
      if (line.startsWith(`ready ${nodeId} `)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void r.exited.then(() => {
      clearTimeout(timer);
      const why = r.stderrTail.slice(-5).join('\n');
      reject(new StewardError('DRIVER_ERROR', `the agent of ${nodeId} exited (code ${r.child.exitCode})${why ? `:\n${why}` : ''}`));
    });
  });
}

async function stopChild(r: Running): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  signal(r.pid, 'SIGTERM');
  const killer = setTimeout(() => {
    if (r.child.exitCode === null && r.child.signalCode === null) signal(r.pid, 'SIGKILL');
  }, 10_000);
  await r.exited;
  clearTimeout(killer);
}

/** signals a process by PID; one that has just exited is not an error */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
