import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { StateSchema, type State } from '@steward/device-adapters';

/** `<state dir>/<node id>.json`: the last state of each device a simulated node hosts. */
export const NodeStateFileSchema = z.object({ version: z.literal(1), devices: z.record(z.string(), StateSchema) }).strict();

/**
 * One node's simulated device states on disk, so a restarted demo resumes where it was instead of at the home file's
 * initial states. Written on every change, whole and atomically (a temp file renamed over the old one): a process
 * killed at any moment leaves either the old file or the new one. A file that cannot be read or is invalid is
 * reported and ignored (the devices start from their initial states), never fatal.
 */
export class NodeStateFile {
  private readonly devices: Record<string, State>;
  /** why the file was not used, if it existed and was unreadable or invalid */
  readonly problem: string | undefined;

  constructor(readonly path: string) {
    let devices: Record<string, State> = {};
    let problem: string | undefined;
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problem = `cannot read ${path}: ${(e as Error).message}`;
    }
    if (text !== undefined) {
      try {
        const r = NodeStateFileSchema.safeParse(JSON.parse(text));
        if (r.success) devices = r.data.devices;
        else problem = `${path} is not a node state file: ${r.error.issues[0]?.message}`;
      } catch (e) {
        problem = `${path} is not JSON: ${(e as Error).message}`;
      }
    }
    this.devices = devices;
    this.problem = problem;
  }

  /** the device's saved state, if any */
  get(deviceId: string): State | undefined {
    const s = this.devices[deviceId];
    return s && { ...s };
  }

  /** records a device's state and writes the whole file (synchronously: the change is on disk when this returns) */
  set(deviceId: string, state: State): void {
    this.devices[deviceId] = { ...state };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, devices: this.devices }), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
