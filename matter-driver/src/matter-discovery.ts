import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Seconds } from '@matter/main';
import { GeneralCommissioning } from '@matter/main/clusters';
import { NodeId } from '@matter/main/types';
import { CommissioningController } from '@project-chip/matter.js';
import { NodeStates, type PairedNode } from '@project-chip/matter.js/device';
import {
  FoundDeviceSchema,
  StewardError,
  type DeviceDescriptor,
  type DeviceDiscovery,
  type DeviceDriver,
  type DiscoveryContext,
  type DiscoveryEvent,
  type FoundDevice,
  type State,
} from '@steward/device-adapters';
import { z } from 'zod';
import { describeEndpoint, readState } from './clusters/index.ts';
import { matterEnvironment, tightenPermissions } from './environment.ts';
import { MatterDeviceDriver } from './matter-device-driver.ts';
import { PairedEndpoint } from './paired-endpoint.ts';
import { parseSetupCode } from './setup-code.ts';

export const MatterOptionsSchema = z
  .object({
    /** the network interface matter.js uses for mDNS (all of them when unset) */
    mdnsInterface: z.string().min(1).max(32).optional(),
    /** the fabric label other controllers see */
    fabricLabel: z.string().min(1).max(32).default('Steward'),
    /** how long start() waits for known nodes to connect before it lets the agent go on */
    connectWaitMs: z.number().int().min(0).max(120_000).default(10_000),
    /** how long commissioning may search the network for the device */
    discoveryTimeoutS: z.number().int().min(5).max(300).default(60),
    /** the longest a subscription stays silent: a device gone quiet this long is taken as lost and reconnected */
    subscribeMaxIntervalS: z.number().int().min(2).max(3600).optional(),
  })
  .strict();
export type MatterOptions = z.infer<typeof MatterOptionsSchema>;

/** a found device's key: the node id (decimal) and the endpoint number */
export const keyOf = (nodeId: NodeId | bigint, endpoint: number) => `${BigInt(nodeId).toString()}:${endpoint}`;
function parseKey(key: string): { nodeId: NodeId; endpoint: number } {
  const m = /^(\d{1,20}):(\d{1,5})$/.exec(key);
  if (!m) throw new StewardError('NOT_FOUND', `not a Matter device key: ${key.slice(0, 64)}`);
  return { nodeId: NodeId(BigInt(m[1]!)), endpoint: Number(m[2]) };
}

/** text a device says about itself, shown to the owner: one line, printable, bounded */
function cleanLabel(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

interface KnownNode {
  node: PairedNode;
  endpoints: Map<number, PairedEndpoint>;
  drivers: Map<number, Set<MatterDeviceDriver>>;
  unsubscribe: () => void;
}

/**
 * The Matter ecosystem seen from a node: one matter.js controller with its own fabric, kept in
 * `<dataDir>/matter`. Each endpoint of a commissioned node with a cluster Steward maps is a found device.
 */
export class MatterDiscovery implements DeviceDiscovery {
  readonly ecosystem = 'matter';
  private controller?: CommissioningController;
  private readonly nodes = new Map<string, KnownNode>();
  private readonly listeners = new Set<(e: DiscoveryEvent) => void>();
  /** keys announced as found, so a structure change says what is new and what is gone */
  private readonly announced = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly storageDir: string;
  /** endpoints the owner removed while other endpoints of the same node stay adopted: not found again */
  private readonly hidden = new Set<string>();

  constructor(
    private readonly options: MatterOptions,
    private readonly context: DiscoveryContext,
  ) {
    this.storageDir = join(context.dataDir, 'matter');
  }

  async start(): Promise<void> {
    const environment = matterEnvironment(this.storageDir, this.options, this.context.log);
    this.loadHidden();
    this.controller = new CommissioningController({
      environment: { environment, id: 'steward' },
      autoConnect: false,
      adminFabricLabel: this.options.fabricLabel,
      ...(this.options.subscribeMaxIntervalS ? { subscribeMaxIntervalCeilingSeconds: this.options.subscribeMaxIntervalS } : {}),
    });
    await this.controller.start();
    tightenPermissions(this.storageDir);
    const ids = this.controller.getCommissionedNodes();
    this.context.log.info({ nodes: ids.length }, 'matter controller started');
    // a node that cannot be reached now is followed anyway (matter.js keeps trying); one that fails is logged
    await Promise.all(
      ids.map((id) =>
        this.attach(id, this.options.connectWaitMs).catch((e: Error) =>
          this.context.log.error({ node: id.toString(), err: e.message.slice(0, 200) }, 'cannot follow a commissioned Matter node'),
        ),
      ),
    );
  }

  /** Connects to a commissioned node and follows it; waits up to `waitMs` for its structure. */
  private async attach(nodeId: NodeId, waitMs: number): Promise<KnownNode> {
    const id = BigInt(nodeId).toString();
    const existing = this.nodes.get(id);
    if (existing) return existing;
    const node = await this.controller!.getNode(nodeId);
    const known: KnownNode = { node, endpoints: new Map(), drivers: new Map(), unsubscribe: () => undefined };
    this.nodes.set(id, known);
    const onAttribute = ({ path, value }: { path: { endpointId: number; clusterId: number; attributeName: string }; value: unknown }) => {
      const ep = this.endpointOf(known, Number(path.endpointId));
      ep.note(Number(path.clusterId), path.attributeName, value);
      for (const d of known.drivers.get(Number(path.endpointId)) ?? []) d.refreshFromDevice(Number(path.clusterId));
    };
    const onState = (state: NodeStates) => {
      this.context.log.info({ node: id, state: NodeStates[state] }, 'matter node state');
      if (state === NodeStates.Connected) this.refreshNode(known);
    };
    const onStructure = () => this.announce(known);
    node.events.attributeChanged.on(onAttribute);
    node.events.stateChanged.on(onState);
    node.events.structureChanged.on(onStructure);
    node.events.initialized.on(onStructure);
    known.unsubscribe = () => {
      node.events.attributeChanged.off(onAttribute);
      node.events.stateChanged.off(onState);
      node.events.structureChanged.off(onStructure);
      node.events.initialized.off(onStructure);
    };
    if (!node.isConnected) {
      const max = this.options.subscribeMaxIntervalS;
      node.connect(max ? { autoSubscribe: true, subscribeMaxIntervalCeilingSeconds: max } : undefined);
    }
    if (node.initialized) this.announce(known);
    await this.waitFor(() => node.initialized && node.isConnected, waitMs);
    this.refreshNode(known);
    return known;
  }

  private endpointOf(known: KnownNode, n: number): PairedEndpoint {
    let ep = known.endpoints.get(n);
    if (!ep) known.endpoints.set(n, (ep = new PairedEndpoint(known.node, n)));
    return ep;
  }

  private refreshNode(known: KnownNode): void {
    this.announce(known);
    for (const set of known.drivers.values()) for (const d of set) d.refreshFromDevice();
  }

  private async waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!cond()) {
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  private devicesOf(known: KnownNode): FoundDevice[] {
    if (!known.node.initialized) return [];
    const info = known.node.basicInformation;
    const name = cleanLabel([info?.vendorName, info?.productName].filter(Boolean).join(' ')) || 'Matter device';
    const numbers = [...known.node.parts.keys()].filter((n) => n !== 0).sort((a, b) => a - b);
    const out: FoundDevice[] = [];
    for (const n of numbers) {
      const ep = this.endpointOf(known, n);
      if (this.hidden.has(keyOf(known.node.nodeId, n))) continue;
      const descriptor = describeEndpoint(ep);
      if (!descriptor) continue;
      const label = cleanLabel(numbers.length > 1 ? `${name} (endpoint ${n})` : name);
      const parsed = FoundDeviceSchema.safeParse({ key: keyOf(known.node.nodeId, n), descriptor, label, state: readState(ep) });
      if (parsed.success) out.push(parsed.data);
      else this.context.log.warn({ node: known.node.nodeId.toString(), endpoint: n, issue: parsed.error.issues[0]?.message }, 'matter endpoint skipped');
    }
    return out;
  }

  private announce(known: KnownNode): void {
    const prefix = `${BigInt(known.node.nodeId).toString()}:`;
    const now = this.devicesOf(known);
    if (!known.node.initialized) return;
    const keys = new Set(now.map((d) => d.key));
    for (const d of now) {
      if (this.announced.has(d.key)) continue;
      this.announced.add(d.key);
      this.emit({ kind: 'found', device: d });
    }
    for (const k of [...this.announced]) {
      if (k.startsWith(prefix) && !keys.has(k)) {
        this.announced.delete(k);
        this.emit({ kind: 'lost', key: k });
      }
    }
  }

  private emit(event: DiscoveryEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.context.log.warn({ err: (e as Error).message }, 'a discovery listener failed');
      }
    }
  }

  found(): FoundDevice[] {
    return [...this.nodes.values()].flatMap((k) => this.devicesOf(k));
  }

  onChange(listener: (event: DiscoveryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async open(key: string, descriptor: DeviceDescriptor, initialState: State): Promise<DeviceDriver> {
    const { nodeId, endpoint } = parseKey(key);
    const known = this.nodes.get(BigInt(nodeId).toString());
    if (!known) throw new StewardError('NOT_FOUND', `no commissioned Matter node ${nodeId.toString()}`);
    const driver = new MatterDeviceDriver(
      descriptor,
      key,
      {
        endpoint: () => (known.node.parts.has(endpoint) ? this.endpointOf(known, endpoint) : undefined),
        connected: () => known.node.isConnected,
      },
      initialState,
    );
    let set = known.drivers.get(endpoint);
    if (!set) known.drivers.set(endpoint, (set = new Set()));
    set.add(driver);
    const close = driver.close.bind(driver);
    driver.close = async () => {
      set!.delete(driver);
      await close();
    };
    return driver;
  }

  /** one commissioning at a time: the controller's fail-safe and mDNS browsing are per commissioning */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  commission(setupCode: string): Promise<FoundDevice[]> {
    const code = parseSetupCode(setupCode);
    return this.serial(async () => {
      const controller = this.requireStarted();
      let nodeId: NodeId;
      try {
        nodeId = await controller.commissionNode({
          commissioning: { regulatoryLocation: GeneralCommissioning.RegulatoryLocationType.IndoorOutdoor, regulatoryCountryCode: 'XX' },
          discovery: { identifierData: code.identifier, discoveryCapabilities: { onIpNetwork: true }, timeout: Seconds(this.options.discoveryTimeoutS) },
          passcode: code.passcode,
        });
      } catch (e) {
        // the reason only: matter.js messages never carry the passcode, but keep ours short and typed
        throw new StewardError('COMMISSIONING_FAILED', `Matter commissioning failed: ${(e as Error).message.slice(0, 200)}`);
      } finally {
        tightenPermissions(this.storageDir);
      }
      this.context.log.info({ node: nodeId.toString() }, 'matter node commissioned');
      const known = await this.attach(nodeId, 30_000);
      return this.devicesOf(known);
    });
  }

  /**
   * Opens an enhanced commissioning window on a node, so another controller (a phone app, another hub) can
   * share it. Returns the one-time manual pairing code and QR payload.
   */
  async share(key: string, timeoutS = 300): Promise<{ manualPairingCode: string; qrPairingCode: string }> {
    const known = this.nodes.get(BigInt(parseKey(key).nodeId).toString());
    if (!known) throw new StewardError('NOT_FOUND', `no commissioned Matter node for ${key}`);
    return known.node.openEnhancedCommissioningWindow(timeoutS);
  }

  private get hiddenFile(): string {
    return join(this.storageDir, 'forgotten-endpoints.json');
  }

  private loadHidden(): void {
    if (!existsSync(this.hiddenFile)) return;
    try {
      const keys = z.array(z.string().max(32)).max(10_000).parse(JSON.parse(readFileSync(this.hiddenFile, 'utf8')));
      for (const k of keys) this.hidden.add(k);
    } catch (e) {
      this.context.log.warn({ err: (e as Error).message }, 'forgotten Matter endpoints unreadable; all endpoints listed again');
    }
  }

  private saveHidden(): void {
    writeFileSync(this.hiddenFile, JSON.stringify([...this.hidden]), { mode: 0o600 });
  }

  /**
   * The owner removed a device. An endpoint whose node still has other endpoints in use is dropped from this node
   * only (the node stays on our fabric for them, and the endpoint is not found again); the last one in use takes
   * the node out of our fabric (RemoveFabric on the device), and all its endpoints are lost.
   */
  forget(key: string): Promise<void> {
    const { nodeId, endpoint } = parseKey(key);
    return this.serial(async () => {
      const controller = this.requireStarted();
      const id = BigInt(nodeId).toString();
      const known = this.nodes.get(id);
      if (!known && !controller.isNodeCommissioned(nodeId)) throw new StewardError('NOT_FOUND', `no commissioned Matter node ${id}`);
      for (const d of [...(known?.drivers.get(endpoint) ?? [])]) await d.close();
      const inUse = [...(known?.drivers.entries() ?? [])].some(([n, set]) => n !== endpoint && set.size > 0);
      if (inUse) {
        this.hidden.add(key);
        this.saveHidden();
        if (this.announced.delete(key)) this.emit({ kind: 'lost', key });
        this.context.log.info({ node: id, endpoint }, 'matter endpoint forgotten; its node stays for the endpoints in use');
        return;
      }
      known?.unsubscribe();
      for (const set of known?.drivers.values() ?? []) for (const d of [...set]) await d.close();
      this.nodes.delete(id);
      try {
        await controller.removeNode(nodeId, true);
      } finally {
        tightenPermissions(this.storageDir);
      }
      for (const k of [...this.hidden]) if (k.startsWith(`${id}:`)) this.hidden.delete(k);
      this.saveHidden();
      for (const k of [...this.announced]) {
        if (!k.startsWith(`${id}:`)) continue;
        this.announced.delete(k);
        this.emit({ kind: 'lost', key: k });
      }
      this.context.log.info({ node: id }, 'matter node decommissioned');
    });
  }

  private requireStarted(): CommissioningController {
    if (!this.controller) throw new StewardError('UNAVAILABLE', 'the Matter controller is not started');
    return this.controller;
  }

  async close(): Promise<void> {
    for (const k of this.nodes.values()) k.unsubscribe();
    this.nodes.clear();
    await this.controller?.close();
    this.controller = undefined;
    tightenPermissions(this.storageDir);
  }
}
