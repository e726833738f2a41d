import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { StewardError, formatLogLine, stderrLogFormat } from '@steward/device-adapters';
// the path alone: the simulators' index would load the fleet, the agent and mqtt into the hub for one string
import { SIM_BIN } from '@steward/simulators/bin-path.ts';

// the simulated home is its own process, like real nodes; its executable comes from the simulators' public entry
export { SIM_BIN };

export interface SimulatedHome {
  /** the PID of each node's agent process, as the simulator reports them when ready (a restarted agent: its new PID) */
  nodePids: ReadonlyMap<string, number>;
  /** the simulator's PID now (a restarted simulator has a new one) */
  readonly pid: number;
  /** resolves when it is gone for good: it exited before its fleet was ready, or it was stopped */
  exited: Promise<void>;
  /** the last lines it wrote to stderr, for error messages */
  stderrTail(): string;
  /** SIGTERM by PID (the simulator stops its agents), SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `steward-sim home <homeFile> --hub <mqttUrl> [--credentials FILE] [--state-dir DIR]`: one steward-agent
 * process per node of the home, each with its own MQTT credentials from the file (the hub provisions them; see
 * hub.ts), supervised by the simulator (an agent that dies is started again with backoff), and with its devices'
 * state kept in `stateDir` so a restarted demo resumes where it was. The simulator itself is supervised here: once
 * its fleet was ready, a simulator that dies (its agents with it) is started again with backoff.
 */
export function startSimulatedHome(opts: {
  homeFile: string;
  mqttUrl: string;
  timeScale: number;
  logger: Logger;
  credentialsFile?: string;
  stateDir?: string;
}): SimulatedHome {
  const log = opts.logger.child({ component: 'demo' });
  const args = [SIM_BIN, 'home', opts.homeFile, '--hub', opts.mqttUrl, '--time-scale', String(opts.timeScale), '--log-level', 'warn'];
  if (opts.credentialsFile) args.push('--credentials', opts.credentialsFile);
  if (opts.stateDir) args.push('--state-dir', opts.stateDir);
  // the agents log warnings and errors only (JSON lines): passed through as lines of their own, not wrapped in
  // the hub's; on a terminal readable and prefixed with the node id, otherwise the agent's JSON as it wrote it
  const pretty = stderrLogFormat() === 'pretty';

  const tail: string[] = [];
  const nodePids = new Map<string, number>();
  let child!: ChildProcess;
  let pid = 0;
  let stopping = false;
  /** the simulator said "fleet ready" once: from then on, a simulator that dies is started again */
  let wasReady = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let gone!: () => void;
  const exited = new Promise<void>((resolve) => (gone = resolve));

  const launch = () => {
    // the agents write JSON whatever the hub's terminal: the hub shows their lines (below) in its own format
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STEWARD_LOG_FORMAT: 'json' } });
    if (child.pid === undefined) throw new StewardError('INTERNAL', 'could not start the simulated home');
    pid = child.pid;
    const startedAt = Date.now();
    log.info({ pid, homeFile: opts.homeFile }, 'simulated home starting');
    createInterface({ input: child.stdout! }).on('line', (line) => onLine(line));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (!log.isLevelEnabled('warn')) return;
      const nodeId = /"nodeId":"([^"]+)"/.exec(line)?.[1];
      process.stderr.write(`${pretty ? formatLogLine(line, { colors: true, prefix: `${nodeId ?? 'steward-sim'} |` }) : line}\n`);
    });
    const me = child;
    me.once('exit', (code, signal) => {
      if (stopping || !wasReady) {
        log.info({ pid: me.pid, code, signal }, 'simulated home exited');
        return gone();
      }
      // its agents exit with it (stdin lifeline); start it again with a growing delay, reset after a stable minute
      if (Date.now() - startedAt > 60_000) restarts = 0;
      const delayMs = Math.min(30_000, 1000 * 2 ** restarts++);
      log.error({ pid: me.pid, code, signal, delayMs, restarts }, 'simulated home exited; restarting it');
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return gone();
        try {
          launch();
        } catch (err) {
          log.error({ err }, 'could not restart the simulated home');
          gone();
        }
      }, delayMs);
    });
  };

  const onLine = (line: string) => {
    if (line.startsWith('fleet ready')) wasReady = true;
    // "ready <node-id> <n> devices pid <pid>"
    const m = /^ready (\S+) \d+ devices pid (\d+)$/.exec(line);
    if (m) {
      const [nodeId, agentPid] = [m[1]!, Number(m[2])];
      const before = nodePids.get(nodeId);
      nodePids.set(nodeId, agentPid);
      if (before !== undefined && before !== agentPid) log.warn({ nodeId, pid: agentPid, previousPid: before }, 'demo agent restarted');
    }
    // "restarting <node-id> in <ms> ms after <why> (restart <n>)": the supervisor saw an agent die
    const r = /^restarting (\S+) in (\d+) ms after (.+) \(restart (\d+)\)$/.exec(line);
    if (r) log.warn({ nodeId: r[1], pid: nodePids.get(r[1]!), exit: r[3], delayMs: Number(r[2]), restarts: Number(r[4]) }, 'demo agent exited; restarting it');
    log.debug({ pid }, line);
  };

  launch();

  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };

  return {
    get pid() {
      return pid;
    },
    nodePids,
    exited,
    stderrTail: () => tail.slice(-8).join('\n'),
    stop: async (graceMs = 15_000) => {
      stopping = true;
      if (restartTimer) {
        clearTimeout(restartTimer);
        restartTimer = undefined;
        return gone();
      }
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
