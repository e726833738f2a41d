import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { RpcSecretSchema, StewardError, loadHome, type Home } from '@steward/device-adapters';
import { AGENT_BIN, AGENT_NODE_FLAGS, type AgentConfigInput } from '@steward/node-agent';
import { DRIVER_MODULE } from './driver-module.ts';

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
  /** the agents' log level (default warn) */
  logLevel?: string;
  /** forward the agents' stderr (JSON logs) to ours (default true) */
  forwardLogs?: boolean;
  /** how long to wait for every node to be ready (default 60 s) */
  readyTimeoutMs?: number;
  onNodeReady?: (node: FleetNode) => void;
  /** an agent exited while the fleet was running */
  onNodeExit?: (node: FleetNode, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface FleetNode {
  nodeId: string;
  pid: number;
  devices: string[];
}

export interface Fleet {
  nodes: FleetNode[];
  /** stops every agent (SIGTERM by PID, SIGKILL after 10 s) and removes their config files */
  stop(): Promise<void>;
}

/** The agent config that hosts one node of a home with simulated drivers. */
export function agentConfigForNode(
  home: Home,
  nodeId: string,
  opts: { url: string; timeScale?: number; credentials?: FleetCredentials },
): AgentConfigInput {
  const node = home.nodes.find((n) => n.id === nodeId);
  if (!node) throw new StewardError('NOT_FOUND', `the home has no node ${nodeId}`);
  const creds = opts.credentials?.[nodeId];
  return {
    mqtt: { url: opts.url, ...(creds?.username !== undefined ? { username: creds.username, password: creds.password } : {}) },
    ...(creds?.rpcSecret ? { rpcSecret: creds.rpcSecret } : {}),
    node: { id: node.id, name: node.names.en?.[0] ?? node.id, kind: node.kind },
    devices: home.devices
      .filter((d) => d.node === nodeId)
      .map((d) => ({
        descriptor: { id: d.id, type: d.type, names: d.names, traits: d.traits, attributes: d.attributes },
        state: d.state,
        confirm: d.confirm,
        driver: { module: DRIVER_MODULE, options: { timeScale: opts.timeScale ?? 1, nodeKind: node.kind } },
      })),
  };
}

interface Running extends FleetNode {
  child: ChildProcess;
  exited: Promise<void>;
  stderrTail: string[];
}

/** Starts one node-agent process per node of the home and resolves when every node is ready. */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const home = typeof opts.home === 'string' ? loadHome(opts.home) : opts.home;
  for (const id of Object.keys(opts.credentials ?? {})) {
    if (!home.nodes.some((n) => n.id === id)) throw new StewardError('BAD_REQUEST', `credentials name unknown node ${id}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'steward-sim-'));
  const running: Running[] = [];
  let stopping = false;

  const stop = async () => {
    stopping = true;
    await Promise.all(running.map((r) => stopChild(r)));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ready = home.nodes.map((node) => {
      const config = agentConfigForNode(home, node.id, opts);
      const file = join(dir, `${node.id}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 }); // may hold credentials
      const r = spawnAgent(node.id, file, config.devices?.map((d) => d.descriptor.id) ?? [], opts);
      running.push(r);
      void r.exited.then(() => {
        if (!stopping) opts.onNodeExit?.(r, r.child.exitCode, r.child.signalCode);
      });
      return whenReady(r, opts.readyTimeoutMs ?? 60_000).then(() => opts.onNodeReady?.(r));
    });
    await Promise.all(ready);
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes: running.map(({ nodeId, pid, devices }) => ({ nodeId, pid, devices })), stop };
}

function spawnAgent(nodeId: string, configFile: string, devices: string[], opts: FleetOptions): Running {
  const args = [...AGENT_NODE_FLAGS, AGENT_BIN, 'start', '--config', configFile, '--log-level', opts.logLevel ?? 'warn', '--exit-with-stdin'];
  // stdin is a lifeline: if this process dies, even by SIGKILL, the pipe closes and the agent exits
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new StewardError('INTERNAL', `could not start the agent of ${nodeId}`);
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    if (opts.forwardLogs !== false) process.stderr.write(`${line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { nodeId, pid: child.pid, devices, child, exited, stderrTail };
}

function whenReady(r: Running, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StewardError('TIMEOUT', `node ${r.nodeId} was not ready after ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: r.child.stdout! }).on('line', (line) => {
      if (line.startsWith(`ready ${r.nodeId} `)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void r.exited.then(() => {
      clearTimeout(timer);
      const why = r.stderrTail.slice(-5).join('\n');
      reject(new StewardError('DRIVER_ERROR', `the agent of ${r.nodeId} exited (code ${r.child.exitCode})${why ? `:\n${why}` : ''}`));
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
