import { StewardError, TRAITS, type DeviceDescriptor, type DeviceDriver, type State, type StateUpdate } from '@steward/device-adapters';
import { executeCommand, readState, readTargets, watchedClusters } from './clusters/index.ts';
import type { PairedEndpoint } from './paired-endpoint.ts';

/** what a driver asks of the discovery that opened it: the endpoint now (undefined while the node is unknown) */
export interface EndpointSource {
  endpoint(): PairedEndpoint | undefined;
  connected(): boolean;
}

/**
 * A Matter endpoint as a Steward device. State comes from the node's subscription (and a read back after each
 * command); commands are the traits' own, turned into cluster commands by the cluster mappings.
 */
export class MatterDeviceDriver implements DeviceDriver {
  readonly simulated = false;
  private last: State;
  private lastTargets: State = {};
  private readonly listeners = new Set<(u: StateUpdate) => void>();
  private closed = false;
  private readonly fields: Set<string>;

  constructor(
    readonly descriptor: DeviceDescriptor,
    readonly key: string,
    private readonly source: EndpointSource,
    initialState: State,
  ) {
    this.fields = new Set(descriptor.traits.flatMap((t) => Object.keys(TRAITS[t].fields)));
    this.last = { ...initialState, ...this.read() };
  }

  /** only the fields of this device's traits (an endpoint may carry more than the adopted descriptor lists) */
  private read(): State {
    const ep = this.source.endpoint();
    if (!ep) return {};
    return Object.fromEntries(Object.entries(readState(ep)).filter(([f]) => this.fields.has(f)));
  }

  state(): State {
    return { ...this.last };
  }

  targets(): State {
    return { ...this.lastTargets };
  }

  /** called by the discovery when an attribute of this endpoint changed or the node (re)connected */
  refreshFromDevice(clusterId?: number): void {
    const ep = this.source.endpoint();
    if (this.closed || !ep) return;
    if (clusterId !== undefined && !watchedClusters(ep).has(clusterId)) return;
    this.publish(this.read(), readTargets(ep));
  }

  private publish(next: State, nextTargets: State): void {
    const changed: State = {};
    for (const [k, v] of Object.entries(next)) if (this.last[k] !== v) changed[k] = v;
    const targets: StateUpdate['targets'] = {};
    for (const [k, v] of Object.entries(nextTargets)) if (this.lastTargets[k] !== v) targets[k] = v;
    for (const k of Object.keys(this.lastTargets)) if (!(k in nextTargets)) targets[k] = null;
    this.last = { ...this.last, ...next };
    this.lastTargets = nextTargets;
    if (!Object.keys(changed).length && !Object.keys(targets).length) return;
    for (const l of this.listeners) l({ state: changed, targets });
  }

  async execute(command: string, params: Record<string, unknown>): Promise<void> {
    const ep = this.source.endpoint();
    if (!ep || !this.source.connected()) throw new StewardError('NODE_OFFLINE', `the Matter device ${this.descriptor.id} is not reachable now`);
    await executeCommand(ep, this.descriptor, this.state(), command, params);
    // read the whole endpoint back: a command on one cluster may move another (a level that switches the light on)
    await ep.refresh([...watchedClusters(ep)]).catch(() => undefined); // the subscription reports it soon anyway
    this.publish(this.read(), readTargets(ep));
  }

  async reset(): Promise<void> {
    throw new StewardError('NOT_SIMULATED', `${this.descriptor.id} is a real Matter device`);
  }

  onUpdate(listener: (update: StateUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
