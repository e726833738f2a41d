import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';

export interface TestMosquitto {
  url: string;
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Debian's Mosquitto with its own config, listening only on 127.0.0.1 at a free port (or `port`: the same one again,
 * for a broker restarted under its clients); stopped by PID.
 */
export async function startMosquitto(opts: { port?: number } = {}): Promise<TestMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-mosquitto-'));
  const port = opts.port ?? (await freePort());
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', ''].join('\n'));
  const proc = startProcess('mosquitto', ['-c', config]);
  try {
    await waitForPort(port);
  } catch (e) {
    await proc.stop();
    throw new Error(`mosquitto did not start: ${(e as Error).message}\n${proc.stderr.join('\n')}`);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    process: proc,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
