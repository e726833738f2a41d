import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
// the path alone, as the demo takes it: the simulators' index would load the fleet and the agent here
import { SIM_BIN } from '@steward/simulators/bin-path.ts';

/**
 * The home's agents under the benchmark's own supervisor: `steward-sim home` as a child of the benchmark, not of the
 * hub, so killing the hub leaves them running (they reconnect) and a restarted hub starts none of its own. The
 * simulator starts an agent that dies again (after 1 s, then 2, 4…) and says so on stdout with the new PID.
 */
export class AgentSupervisor {
  /** each node's agent PID now */
  readonly pids = new Map<string, number>();
  /** when each node's agent last said it was ready (performance.now()) */
  readonly readyAt = new Map<string, number>();
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly exited: Promise<void>;
  private fleetReady!: () => void;
  private readonly ready = new Promise<void>((r) => (this.fleetReady = r));

  constructor(opts: { homeFile: string; mqttUrl: string; credentialsFile: string; stateDir: string }) {
    this.child = spawn(
      process.execPath,
      [SIM_BIN, 'home', opts.homeFile, '--hub', opts.mqttUrl, '--credentials', opts.credentialsFile, '--state-dir', opts.stateDir, '--log-level', 'error'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STEWARD_LOG_FORMAT: 'json' } },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const m = /^ready (\S+) \d+ devices pid (\d+)$/.exec(line);
      if (m) {
        this.pids.set(m[1]!, Number(m[2]));
        this.readyAt.set(m[1]!, performance.now());
      }
      if (line.startsWith('fleet ready')) this.fleetReady();
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.ready,
      this.exited.then(() => {
        throw new Error(`steward-sim exited before its fleet was ready:\n${this.tail.join('\n')}`);
      }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the fleet was not ready in time')), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  /** the agent processes running under the supervisor now, by node (more than one for a node would be a duplicate) */
  agentsByNode(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const pid of childrenOf(this.pid)) {
      const argv = cmdline(pid);
      const i = argv.indexOf('--node');
      if (i < 0) continue;
      const node = argv[i + 1]!;
      out.set(node, [...(out.get(node) ?? []), pid]);
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(this.pid, 'SIGTERM');
    const t = setTimeout(() => this.child.exitCode === null && process.kill(this.pid, 'SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** the PIDs whose parent is `pid` (Linux /proc) */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}
