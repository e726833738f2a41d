import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitUntil } from './wait.ts';

export interface ManagedProcess {
  pid: number;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** resolves with how the process ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** waits for a line on stdout or stderr matching `pattern` */
  waitForLine(pattern: RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<string>;
  /** sends a signal by PID */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

const started = new Set<ManagedProcess>();

/** Spawns a process whose output is captured line by line. Every process started here is tracked by PID. */
export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const stdout: string[] = [];
  const stderr: string[] = [];
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      started.delete(p);
      resolve({ code, signal });
    }),
  );
  const signal = (sig: NodeJS.Signals) => {
    if (!running) return;
    try {
      process.kill(pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  const p: ManagedProcess = {
    pid,
    child,
    stdout,
    stderr,
    exited,
    isRunning: () => running,
    waitForLine: (pattern, timeoutMs = 20_000, stream) =>
      waitUntil(
        () => (stream !== 'stderr' ? stdout.find((l) => pattern.test(l)) : undefined) ?? (stream !== 'stdout' ? stderr.find((l) => pattern.test(l)) : undefined),
        `a line matching ${pattern} from ${command} (pid ${pid}); stderr so far:\n${stderr.slice(-10).join('\n')}`,
        timeoutMs,
      ),
    signal,
    async stop(graceMs = 5_000) {
      if (!running) return;
      signal('SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  started.add(p);
  return p;
}

/** Stops every process started by this helper that still runs (use in afterAll as a safety net). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...started].map((p) => p.stop()));
}

// a test worker that dies must not leave processes behind
process.once('exit', () => {
  for (const p of started) p.signal('SIGKILL');
});
