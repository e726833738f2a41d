import {
  AnnouncedDeviceSchema,
  DISCOVERY_LIMITS,
  DeviceDescriptorSchema,
  StewardError,
  isStewardError,
  type AnnouncedDevice,
  type DeviceDiscovery,
  type DeviceDriver,
  type DiscoveryEvent,
  type DiscoveryReport,
} from '@steward/device-adapters';
import type { Logger } from './logger.ts';
import type { AdoptedStore } from './adopted-store.ts';

/** what the host asks of the agent: host a driver, drop one, tell the hub the report changed */
export interface DiscoveryHooks {
  /** is this device id taken on the node (a configured device or an adopted one)? */
  hasDevice(deviceId: string): boolean;
  add(driver: DeviceDriver): Promise<void>;
  remove(deviceId: string): Promise<void>;
  reportChanged(): void;
}

/**
 * The node's discovery modules: starts them, opens the devices the owner adopted (again after a restart), builds the
 * report the hub reads (found devices not adopted, adopted ones lost), and carries out the hub's adopt, forget and
 * commission requests. What a module says about a device is checked with the protocol's schemas before it leaves.
 */
export class DiscoveryHost {
  private readonly byEcosystem = new Map<string, DeviceDiscovery>();
  private readonly unsubscribers: (() => void)[] = [];
  /** ecosystems whose module failed to start, with the module's name: the node runs on without them */
  private readonly failed = new Map<string, string>();

  constructor(
    discoveries: readonly DeviceDiscovery[],
    private readonly store: AdoptedStore,
    private readonly hooks: DiscoveryHooks,
    private readonly log: Logger,
    /** each discovery's module as the config names it (for the logs) */
    private readonly modules: ReadonlyMap<DeviceDiscovery, string> = new Map(),
  ) {
    for (const d of discoveries) this.byEcosystem.set(d.ecosystem, d);
  }

  /**
   * Starts every module and opens the adopted devices; a device its module cannot open now is logged and kept. A
   * module whose start() fails is logged with its name and left out (closed): the node carries on with its configured
   * devices and its other modules; that ecosystem's adopted devices stay out (kept, not lost) until it starts again.
   */
  async start(): Promise<DeviceDriver[]> {
    for (const [ecosystem, d] of [...this.byEcosystem]) {
      try {
        await d.start();
      } catch (e) {
        const module = this.modules.get(d) ?? ecosystem;
        this.byEcosystem.delete(ecosystem);
        this.failed.set(ecosystem, module);
        this.log.error(
          { module, ecosystem, err: (e as Error).message },
          `the discovery module ${module} failed to start; the node carries on without it (restart the agent to try again)`,
        );
        await d.close().catch(() => undefined);
        continue;
      }
      this.unsubscribers.push(d.onChange((e) => this.onChange(d, e)));
    }
    const drivers: DeviceDriver[] = [];
    for (const a of this.store.adopted()) {
      const discovery = this.byEcosystem.get(a.ecosystem);
      if (!discovery) {
        const failed = this.failed.get(a.ecosystem);
        this.log.error(
          { deviceId: a.descriptor.id, ecosystem: a.ecosystem, ...(failed ? { module: failed } : {}) },
          failed
            ? `an adopted device of ${a.ecosystem} stays out: its discovery module ${failed} failed to start`
            : 'an adopted device belongs to an ecosystem no discovery module serves; it stays out until one does',
        );
        continue;
      }
      const now = discovery.found().find((f) => f.key === a.key);
      try {
        drivers.push(await this.openChecked(discovery, a.key, a.descriptor, now?.state ?? a.state));
      } catch (e) {
        this.log.error({ deviceId: a.descriptor.id, err: (e as Error).message }, 'cannot open an adopted device');
      }
    }
    return drivers;
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribers.splice(0)) u();
    await Promise.allSettled([...this.byEcosystem.values()].map((d) => d.close()));
  }

  /** found devices not adopted (bounded in count and size; what a module got wrong is left out and logged), and lost ones */
  report(): DiscoveryReport {
    const found: AnnouncedDevice[] = [];
    let bytes = 0;
    for (const d of this.byEcosystem.values()) {
      for (const f of d.found()) {
        if (this.store.byKey(d.ecosystem, f.key)) continue;
        const r = AnnouncedDeviceSchema.safeParse({ ...f, ecosystem: d.ecosystem });
        if (!r.success) {
          this.log.warn({ ecosystem: d.ecosystem, key: f.key, issues: r.error.issues.slice(0, 3) }, 'a found device does not fit the protocol; left out');
          continue;
        }
        const size = Buffer.byteLength(JSON.stringify(r.data));
        if (found.length >= DISCOVERY_LIMITS.found || bytes + size > DISCOVERY_LIMITS.reportBytes - 8 * 1024) {
          this.log.warn({ ecosystem: d.ecosystem, key: f.key }, 'too many found devices for one report; left out');
          continue;
        }
        found.push(r.data);
        bytes += size;
      }
    }
    return { found, lost: [...this.store.lost()] };
  }

  /** The owner adopted `key` as `deviceId`: opens it, keeps it across restarts, hosts it. */
  async adopt(req: { ecosystem: string; key: string; deviceId: string; names: Record<string, string[]> }): Promise<DeviceDriver> {
    const discovery = this.discovery(req.ecosystem);
    const already = this.store.byKey(req.ecosystem, req.key);
    if (already) throw new StewardError('CONFLICT', `${req.ecosystem} device ${req.key} is already adopted as ${already.descriptor.id}`);
    if (this.hooks.hasDevice(req.deviceId)) throw new StewardError('CONFLICT', `this node already has a device ${req.deviceId}`);
    const found = discovery.found().find((f) => f.key === req.key);
    if (!found) throw new StewardError('NOT_FOUND', `${req.ecosystem} has no device ${req.key} right now (lost, or never found)`);
    const parsed = DeviceDescriptorSchema.safeParse({ ...found.descriptor, id: req.deviceId, names: req.names });
    if (!parsed.success) throw new StewardError('DRIVER_ERROR', `${req.ecosystem} describes ${req.key} in a way the device model refuses: ${parsed.error.issues[0]?.message}`);
    const driver = await this.openChecked(discovery, req.key, parsed.data, found.state);
    try {
      await this.hooks.add(driver);
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw e;
    }
    this.store.add({ ecosystem: req.ecosystem, key: req.key, descriptor: parsed.data, state: found.state });
    this.log.info({ deviceId: req.deviceId, ecosystem: req.ecosystem, key: req.key }, 'device adopted');
    this.hooks.reportChanged();
    return driver;
  }

  /** The owner removed an adopted device: out of its ecosystem (when the module can) and off this node. */
  async forget(deviceId: string): Promise<void> {
    const a = this.store.byDeviceId(deviceId);
    if (!a) {
      throw this.hooks.hasDevice(deviceId)
        ? new StewardError('BAD_REQUEST', `${deviceId} is declared in this node's configuration, not adopted: remove it there`)
        : new StewardError('UNKNOWN_DEVICE', `this node has no adopted device ${deviceId}`);
    }
    // off the node first: the module may report the device lost while it forgets it, and that is not news then
    this.store.remove(deviceId, false);
    await this.hooks.remove(deviceId);
    try {
      await this.byEcosystem.get(a.ecosystem)?.forget?.(a.key);
    } catch (e) {
      // the hub already removed it: the node drops it anyway; the ecosystem may list it as found again
      this.log.warn({ deviceId, ecosystem: a.ecosystem, key: a.key, err: (e as Error).message }, 'the ecosystem could not forget the device; dropped from this node anyway');
    }
    this.log.info({ deviceId, ecosystem: a.ecosystem, key: a.key }, 'adopted device forgotten');
    this.hooks.reportChanged();
  }

  /** Brings a new device into an ecosystem with its setup code; resolves with what was found. */
  async commission(setupCode: string, ecosystem?: string): Promise<AnnouncedDevice[]> {
    let discovery: DeviceDiscovery;
    if (ecosystem !== undefined) discovery = this.discovery(ecosystem);
    else {
      const able = [...this.byEcosystem.values()].filter((d) => typeof d.commission === 'function');
      if (able.length === 0) {
        const failed = [...this.failed.values()];
        throw new StewardError('BAD_REQUEST', `no discovery module of this node can commission devices${failed.length ? ` (failed to start: ${failed.join(', ')})` : ''}`);
      }
      if (able.length > 1) throw new StewardError('BAD_REQUEST', `several ecosystems can commission here (${able.map((d) => d.ecosystem).join(', ')}): name one`);
      discovery = able[0]!;
    }
    if (typeof discovery.commission !== 'function') throw new StewardError('BAD_REQUEST', `the ${discovery.ecosystem} discovery cannot commission devices`);
    let found;
    try {
      found = await discovery.commission(setupCode);
    } catch (e) {
      if (isStewardError(e)) throw e;
      throw new StewardError('COMMISSIONING_FAILED', `${discovery.ecosystem} could not commission the device: ${(e as Error).message}`);
    }
    this.hooks.reportChanged();
    const out: AnnouncedDevice[] = [];
    for (const f of found.slice(0, DISCOVERY_LIMITS.found)) {
      const r = AnnouncedDeviceSchema.safeParse({ ...f, ecosystem: discovery.ecosystem });
      if (r.success) out.push(r.data);
      else this.log.warn({ ecosystem: discovery.ecosystem, key: f.key }, 'a commissioned device does not fit the protocol; left out');
    }
    return out;
  }

  private discovery(ecosystem: string): DeviceDiscovery {
    const d = this.byEcosystem.get(ecosystem);
    if (!d) throw new StewardError('NOT_FOUND', `this node has no ${ecosystem} discovery (it has: ${[...this.byEcosystem.keys()].join(', ') || 'none'})`);
    return d;
  }

  private async openChecked(discovery: DeviceDiscovery, key: string, descriptor: Parameters<DeviceDiscovery['open']>[1], state: Parameters<DeviceDiscovery['open']>[2]): Promise<DeviceDriver> {
    let driver: DeviceDriver;
    try {
      driver = await discovery.open(key, descriptor, state);
    } catch (e) {
      if (isStewardError(e)) throw e;
      throw new StewardError('DRIVER_ERROR', `${discovery.ecosystem} could not open ${key}: ${(e as Error).message}`);
    }
    if (driver.descriptor.id !== descriptor.id) {
      await driver.close().catch(() => undefined);
      throw new StewardError('DRIVER_ERROR', `${discovery.ecosystem} opened ${key} as ${driver.descriptor.id}, not ${descriptor.id}`);
    }
    return driver;
  }

  private onChange(discovery: DeviceDiscovery, event: DiscoveryEvent): void {
    if (event.kind === 'lost') {
      const a = this.store.byKey(discovery.ecosystem, event.key);
      if (a) {
        // gone from its ecosystem: gone from the node, and the report tells the hub to remove it too
        this.store.remove(a.descriptor.id, true);
        this.log.info({ deviceId: a.descriptor.id, ecosystem: discovery.ecosystem, key: event.key }, 'adopted device lost by its ecosystem: removed');
        this.hooks.remove(a.descriptor.id).catch((e: Error) => this.log.warn({ deviceId: a.descriptor.id, err: e.message }, 'dropping a lost device failed'));
      }
    }
    this.hooks.reportChanged();
  }
}
