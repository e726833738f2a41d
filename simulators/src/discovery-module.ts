import { existsSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  EcosystemSchema,
  FoundDeviceSchema,
  SetupCodeSchema,
  StateSchema,
  StewardError,
  type DeviceDiscovery,
  type DiscoveryContext,
  type DiscoveryEvent,
  type DiscoveryModule,
  type FoundDevice,
} from '@steward/device-adapters';
import { createDriver } from './driver-module.ts';

/**
 * A simulated ecosystem for tests and the demo: devices "found" by a node agent without any real network, opened as
 * simulated drivers once adopted. In an agent config:
 * `"discovery": [{"module": "@steward/simulators/discovery-module.ts", "options": {"devices": [...]}}]`.
 *
 * A device with a `setupCode` appears only once commissioned with that code (like a Matter device out of the box);
 * a `controlFile` (JSON `{"hidden": ["key", ...]}`, re-read when it changes) makes devices disappear from their
 * ecosystem and come back, as a device unplugged and plugged in again would.
 */
export const SimDiscoveryDeviceSchema = FoundDeviceSchema.extend({
  /** the manual pairing code (or MT: payload) that commissions it; none: found from the start */
  setupCode: SetupCodeSchema.optional(),
  state: StateSchema,
}).strict();

export const SimDiscoveryOptionsSchema = z
  .object({
    ecosystem: EcosystemSchema.default('sim'),
    timeScale: z.number().positive().finite().default(1),
    devices: z.array(SimDiscoveryDeviceSchema).max(256).default([]),
    /** absolute path of the file that hides devices (`{"hidden": [keys]}`) */
    controlFile: z.string().startsWith('/', 'controlFile is an absolute path').optional(),
    /** how often the control file is checked */
    pollMs: z.number().int().min(20).max(10_000).default(100),
  })
  .strict();
export type SimDiscoveryOptions = z.input<typeof SimDiscoveryOptionsSchema>;

const ControlSchema = z.object({ hidden: z.array(z.string()).default([]) }).strict();
/** what the simulated ecosystem remembers in the node's data folder: commissioned and forgotten keys */
const MemorySchema = z.object({ commissioned: z.array(z.string()).default([]), forgotten: z.array(z.string()).default([]) }).strict();
type Memory = z.infer<typeof MemorySchema>;

class SimulatedDiscovery implements DeviceDiscovery {
  readonly ecosystem: string;
  private readonly listeners = new Set<(e: DiscoveryEvent) => void>();
  private readonly memoryFile: string;
  private memory: Memory = { commissioned: [], forgotten: [] };
  private hidden = new Set<string>();
  private present = new Set<string>();
  private started = false;

  constructor(
    private readonly options: z.infer<typeof SimDiscoveryOptionsSchema>,
    private readonly context: DiscoveryContext,
  ) {
    this.ecosystem = options.ecosystem;
    this.memoryFile = join(context.dataDir, `sim-discovery-${options.ecosystem}.json`);
  }

  async start(): Promise<void> {
    if (existsSync(this.memoryFile)) {
      const r = MemorySchema.safeParse(JSON.parse(readFileSync(this.memoryFile, 'utf8')));
      if (r.success) this.memory = r.data;
      else this.context.log.warn({ file: this.memoryFile }, 'simulated ecosystem memory is invalid; starting afresh');
    }
    this.readControl();
    this.present = new Set(this.visible().map((d) => d.key));
    if (this.options.controlFile) watchFile(this.options.controlFile, { interval: this.options.pollMs }, () => this.refresh());
    this.started = true;
  }

  found(): FoundDevice[] {
    return this.visible().map(({ key, descriptor, label, state }) => ({ key, descriptor, label, state }));
  }

  onChange(listener: (event: DiscoveryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async open(key: string, descriptor: Parameters<DeviceDiscovery['open']>[1], initialState: Parameters<DeviceDiscovery['open']>[2]) {
    if (!this.options.devices.some((d) => d.key === key)) throw new StewardError('NOT_FOUND', `the simulated ecosystem has no device ${key}`);
    // adopted devices keep their state across restarts of the node, like the demo's simulated devices
    return createDriver(descriptor, initialState, { timeScale: this.options.timeScale, stateFile: join(this.context.dataDir, `sim-discovery-${this.ecosystem}-state.json`) });
  }

  async commission(setupCode: string): Promise<FoundDevice[]> {
    const parsed = SetupCodeSchema.safeParse(setupCode);
    if (!parsed.success) throw new StewardError('BAD_REQUEST', `not a setup code: ${parsed.error.issues[0]?.message}`);
    const code = parsed.data;
    const matches = this.options.devices.filter((d) => d.setupCode !== undefined && d.setupCode === code);
    if (matches.length === 0) throw new StewardError('COMMISSIONING_FAILED', 'no device in commissioning mode accepted this setup code');
    for (const d of matches) {
      if (!this.memory.commissioned.includes(d.key)) this.memory.commissioned.push(d.key);
      this.memory.forgotten = this.memory.forgotten.filter((k) => k !== d.key);
    }
    this.save();
    this.refresh();
    const keys = new Set(matches.map((d) => d.key));
    return this.found().filter((f) => keys.has(f.key));
  }

  async forget(key: string): Promise<void> {
    const d = this.options.devices.find((x) => x.key === key);
    if (!d) return;
    // a commissioned device leaves the fabric (commission it again to get it back); a found-from-the-start one is forgotten
    if (d.setupCode !== undefined) this.memory.commissioned = this.memory.commissioned.filter((k) => k !== key);
    else if (!this.memory.forgotten.includes(key)) this.memory.forgotten.push(key);
    this.save();
    this.refresh();
  }

  async close(): Promise<void> {
    if (this.started && this.options.controlFile) unwatchFile(this.options.controlFile);
    this.listeners.clear();
  }

  private visible() {
    return this.options.devices.filter(
      (d) => !this.hidden.has(d.key) && !this.memory.forgotten.includes(d.key) && (d.setupCode === undefined || this.memory.commissioned.includes(d.key)),
    );
  }

  private readControl(): void {
    const file = this.options.controlFile;
    if (!file || !existsSync(file)) return void (this.hidden = new Set());
    try {
      this.hidden = new Set(ControlSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).hidden);
    } catch (e) {
      this.context.log.warn({ file, err: (e as Error).message }, 'simulated discovery control file ignored');
    }
  }

  /** what is visible now against what was: found and lost events */
  private refresh(): void {
    this.readControl();
    const now = new Map(this.visible().map((d) => [d.key, d]));
    const events: DiscoveryEvent[] = [];
    for (const key of this.present) if (!now.has(key)) events.push({ kind: 'lost', key });
    for (const [key, d] of now) if (!this.present.has(key)) events.push({ kind: 'found', device: { key, descriptor: d.descriptor, label: d.label, state: d.state } });
    this.present = new Set(now.keys());
    for (const e of events) for (const l of [...this.listeners]) l(e);
  }

  private save(): void {
    const tmp = `${this.memoryFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.memory), { mode: 0o600 });
    renameSync(tmp, this.memoryFile);
  }
}

export const createDiscovery: DiscoveryModule['createDiscovery'] = (options, context) => {
  const r = SimDiscoveryOptionsSchema.safeParse(options ?? {});
  if (!r.success) throw new StewardError('BAD_REQUEST', `simulated discovery options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return new SimulatedDiscovery(r.data, context);
};

/** how agent configs name this module (a package specifier each agent resolves for itself) */
export const DISCOVERY_MODULE = '@steward/simulators/discovery-module.ts';
