import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHome, type Home } from '@steward/device-adapters';
import type { AgentConfigInput } from '@steward/node-agent';
import { AGENT_BIN } from '@steward/node-agent';
import { agentConfigForNode } from '@steward/simulators';
import { startProcess, type ManagedProcess } from './processes.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// the packages' executables, from their public entries
export { AGENT_BIN } from '@steward/node-agent';
export { SIM_BIN } from '@steward/simulators';
/** the shared benchmark home (STEWARD_BENCH_HOME overrides it) */
export const BENCHMARK_HOME = process.env.STEWARD_BENCH_HOME ?? resolve(ROOT, '..', 'shared', 'benchmarks', 'commands', 'home.json');

let home: Home | undefined;
export function benchmarkHome(): Home {
  return (home ??= loadHome(BENCHMARK_HOME));
}

/**
 * The agent config of one benchmark-home node, hosted by simulated drivers; `timeScale` speeds time up, `devices`
 * keeps only some of the node's devices, `driverModule` names the driver module another way (a package specifier).
 */
export function simulatedNodeConfig(
  nodeId: string,
  url: string,
  opts: { timeScale?: number; devices?: string[]; reconnect?: { minMs: number; maxMs: number }; driverModule?: string } = {},
): AgentConfigInput {
  const config = agentConfigForNode(benchmarkHome(), nodeId, { url, ...(opts.timeScale ? { timeScale: opts.timeScale } : {}) });
  if (opts.devices) config.devices = config.devices?.filter((d) => opts.devices!.includes(d.descriptor.id));
  if (opts.driverModule) for (const d of config.devices ?? []) d.driver.module = opts.driverModule;
  if (opts.reconnect) config.mqtt = { ...config.mqtt, reconnect: opts.reconnect };
  return config;
}

export interface AgentProcess extends ManagedProcess {
  configFile: string;
}

/** Writes the config to a temp file and runs the real `steward-agent start` bin; waits for its ready line. */
export async function startAgentProcess(config: AgentConfigInput, opts: { args?: string[]; waitReady?: boolean; logLevel?: string } = {}): Promise<AgentProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-agent-test-'));
  const configFile = join(dir, 'agent.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  const p = startProcess(process.execPath, [AGENT_BIN, 'start', '--config', configFile, '--log-level', opts.logLevel ?? 'info', ...(opts.args ?? [])]);
  const stop = p.stop;
  p.stop = async (graceMs?: number) => {
    await stop(graceMs);
    rmSync(dir, { recursive: true, force: true });
  };
  if (opts.waitReady !== false) await p.waitForLine(new RegExp(`^ready ${config.node.id} `), 30_000, 'stdout');
  return Object.assign(p, { configFile });
}
