import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { StewardError, formatLogLine, stderrLogFormat } from '@steward/device-adapters';
// the path alone: the simulators' index would load the fleet, the agent and mqtt into the hub for one string
import { SIM_BIN } from '@steward/simulators/bin-path.ts';

// the simulated home is its own process, like real nodes; its executable comes from the simulators' public entry
export { SIM_BIN };

export interface SimulatedHome {
  pid: number;
  /** the PID of each node's agent process, as the simulator reports them when ready */
  nodePids: ReadonlyMap<string, number>;
  /** resolves when the process has exited */
  exited: Promise<void>;
  /** the last lines it wrote to stderr, for error messages */
  stderrTail(): string;
  /** SIGTERM by PID (the simulator stops its agents), SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `steward-sim home <homeFile> --hub <mqttUrl> [--credentials FILE]`: one node-agent process per node of the
 * home, each with its own MQTT credentials from the file (the hub provisions them; see hub.ts).
 */
export function startSimulatedHome(opts: { homeFile: string; mqttUrl: string; timeScale: number; logger: Logger; credentialsFile?: string }): SimulatedHome {
  const log = opts.logger.child({ component: 'demo' });
  const args = [SIM_BIN, 'home', opts.homeFile, '--hub', opts.mqttUrl, '--time-scale', String(opts.timeScale), '--log-level', 'warn'];
  if (opts.credentialsFile) args.push('--credentials', opts.credentialsFile);
  // the agents write JSON whatever the hub's terminal: the hub shows their lines (below) in its own format
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STEWARD_LOG_FORMAT: 'json' } });
  if (child.pid === undefined) throw new StewardError('INTERNAL', 'could not start the simulated home');
  const pid = child.pid;
  log.info({ pid, homeFile: opts.homeFile }, 'simulated home starting');

  const tail: string[] = [];
  const nodePids = new Map<string, number>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // "ready <node-id> <n> devices pid <pid>"
    const m = /^ready (\S+) \d+ devices pid (\d+)$/.exec(line);
    if (m) nodePids.set(m[1]!, Number(m[2]));
    log.debug({ pid }, line);
  });
  // the agents log warnings and errors only (JSON lines): passed through as lines of their own, not wrapped in
  // the hub's; on a terminal readable and prefixed with the node id, otherwise the agent's JSON as it wrote it
  const pretty = stderrLogFormat() === 'pretty';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (!log.isLevelEnabled('warn')) return;
    const nodeId = /"nodeId":"([^"]+)"/.exec(line)?.[1];
    process.stderr.write(`${pretty ? formatLogLine(line, { colors: true, prefix: `${nodeId ?? 'steward-sim'} |` }) : line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => log.info({ pid, code: child.exitCode, signal: child.signalCode }, 'simulated home exited'));

  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };

  return {
    pid,
    nodePids,
    exited,
    stderrTail: () => tail.slice(-8).join('\n'),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
