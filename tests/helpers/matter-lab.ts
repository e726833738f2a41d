/**
 * The matter-* tests' lab: two network namespaces joined by a veth pair (tests/helpers/netns.ts), the matter.js
 * virtual devices (matter-devices-process.ts) in one and our controller (matter-controller-process.ts) in the
 * other. matter.js advertises on every interface and never on loopback, so nothing of it runs outside them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNamespacePair, startInNamespace, type NamespacePair } from './netns.ts';
import type { ManagedProcess } from './processes.ts';
import { waitUntil } from './wait.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DEVICES_SCRIPT = join(ROOT, 'tests', 'helpers', 'matter-devices-process.ts');
const CONTROLLER_SCRIPT = join(ROOT, 'tests', 'helpers', 'matter-controller-process.ts');

export type LabEvent = { event: string } & Record<string, any>;

/** a process that speaks JSON lines: requests with ids on stdin, `{"event":"reply","id"}` on stdout */
export class JsonProcess {
  private seq = 0;
  constructor(
    readonly proc: ManagedProcess,
    readonly name: string,
  ) {}

  events(): LabEvent[] {
    return this.proc.stdout.flatMap((l) => {
      if (!l.startsWith('{')) return [];
      try {
        return [JSON.parse(l) as LabEvent];
      } catch {
        return [];
      }
    });
  }

  waitEvent(pred: (e: LabEvent) => boolean, what: string, timeoutMs = 20_000, after = 0): Promise<LabEvent> {
    return waitUntil(
      () => this.events().slice(after).find(pred),
      `${what} from ${this.name}; stderr:\n${this.proc.stderr.slice(-15).join('\n')}`,
      timeoutMs,
      50,
    );
  }

  async request(cmd: Record<string, unknown>, timeoutMs = 30_000): Promise<LabEvent> {
    const id = `r${++this.seq}`;
    this.proc.child.stdin!.write(`${JSON.stringify({ id, ...cmd })}\n`);
    return this.waitEvent((e) => e.event === 'reply' && e.id === id, `the reply to ${String(cmd.cmd)}`, timeoutMs);
  }

  /** like request, but throws with the error when the reply is not ok */
  async ok(cmd: Record<string, unknown>, timeoutMs = 30_000): Promise<LabEvent> {
    const r = await this.request(cmd, timeoutMs);
    if (!r.ok) throw new Error(`${this.name} ${String(cmd.cmd)} failed: ${JSON.stringify(r.error)}`);
    return r;
  }

  async stop(): Promise<void> {
    this.proc.child.stdin?.end();
    await this.proc.stop(8_000);
  }
}

export interface MatterLab {
  ns: NamespacePair;
  /** namespace of the devices and of our controller */
  deviceNs: string;
  controllerNs: string;
  tmp(): string;
  startDevices(storage: string): Promise<{ proc: JsonProcess; ready: LabEvent }>;
  startController(dataDir: string): Promise<{ proc: JsonProcess; ready: LabEvent }>;
  cleanup(): void;
}

export function createMatterLab(tag = `m${process.pid % 10_000}`): MatterLab {
  const ns = createNamespacePair(tag);
  const dirs: string[] = [];
  const node = (nsName: string, script: string, args: string[]) =>
    startInNamespace(nsName, process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    ns,
    deviceNs: ns.agentNs,
    controllerNs: ns.hubNs,
    tmp() {
      const d = mkdtempSync(join(tmpdir(), 'stw-matter-'));
      dirs.push(d);
      return d;
    },
    async startDevices(storage) {
      const proc = new JsonProcess(node(ns.agentNs, DEVICES_SCRIPT, ['--state-dir', storage, '--interface', ns.agentIf]), 'the Matter devices');
      const ready = await proc.waitEvent((e) => e.event === 'ready', 'ready', 60_000);
      return { proc, ready };
    },
    async startController(dataDir) {
      const proc = new JsonProcess(node(ns.hubNs, CONTROLLER_SCRIPT, ['--data-dir', dataDir, '--interface', ns.hubIf]), 'the Matter controller');
      const ready = await proc.waitEvent((e) => e.event === 'ready', 'ready', 60_000);
      return { proc, ready };
    },
    cleanup() {
      ns.remove();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
