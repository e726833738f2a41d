import { Seconds } from '@matter/main';
import { Descriptor } from '@matter/main/clusters';
import { ClusterId, EndpointNumber } from '@matter/main/types';
import type { PairedNode } from '@project-chip/matter.js/device';
import { StewardError } from '@steward/device-adapters';
import type { ClusterRef, EndpointView } from './clusters/index.ts';

/** how long a command may take before the driver gives up on the device */
const COMMAND_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StewardError('TIMEOUT', `the Matter device did not answer ${what} in ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

type AnyClient = {
  supportedFeatures: Record<string, boolean>;
  attributes: Record<string, { getLocal(): unknown; set(value: unknown): Promise<void> } | undefined>;
  commands: Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>;
};

/**
 * An endpoint of a commissioned node, read through matter.js's cluster clients (their values are the
 * subscription's) and the latest values this driver read or was told about.
 */
export class PairedEndpoint implements EndpointView {
  /** `<cluster id>/<attribute name>` → the latest value reported or read */
  private readonly latest = new Map<string, unknown>();

  constructor(
    private readonly node: PairedNode,
    readonly number: number,
  ) {}

  private client(cluster: ClusterRef): AnyClient | undefined {
    return this.node.getDeviceById(this.number)?.getClusterClientById(ClusterId(cluster.id)) as unknown as AnyClient | undefined;
  }

  get deviceTypes(): number[] {
    const list = this.read(Descriptor, 'deviceTypeList');
    return Array.isArray(list) ? list.map((d: { deviceType?: unknown }) => Number(d.deviceType)) : [];
  }

  has(cluster: ClusterRef): boolean {
    return this.client(cluster) !== undefined;
  }

  feature(cluster: ClusterRef, name: string): boolean {
    return this.client(cluster)?.supportedFeatures?.[name] === true;
  }

  read(cluster: ClusterRef, attribute: string): unknown {
    const key = `${cluster.id}/${attribute}`;
    if (this.latest.has(key)) return this.latest.get(key);
    return this.client(cluster)?.attributes[attribute]?.getLocal();
  }

  /** a value reported by the subscription or read back */
  note(clusterId: number, attribute: string, value: unknown): void {
    this.latest.set(`${clusterId}/${attribute}`, value);
  }

  async invoke(cluster: ClusterRef, command: string, request?: unknown, options: { timed?: boolean } = {}): Promise<void> {
    const fn = this.client(cluster)?.commands[command];
    if (!fn) throw new StewardError('UNSUPPORTED_COMMAND', `this Matter device has no ${cluster.name}.${command} command`);
    const invokeOptions = options.timed ? { asTimedRequest: true, timedRequestTimeout: Seconds(10) } : undefined;
    const call = request === undefined ? (invokeOptions ? fn(invokeOptions) : fn()) : fn(request, invokeOptions);
    await withTimeout(call, `${cluster.name}.${command}`);
  }

  async write(cluster: ClusterRef, attribute: string, value: unknown): Promise<void> {
    const attr = this.client(cluster)?.attributes[attribute];
    if (!attr) throw new StewardError('UNSUPPORTED_COMMAND', `this Matter device has no ${cluster.name}.${attribute} attribute`);
    await withTimeout(attr.set(value), `a write of ${cluster.name}.${attribute}`);
  }

  /** Reads clusters back from the device, so the state after a command is the device's, not a guess. */
  async refresh(clusterIds: readonly number[]): Promise<void> {
    const unique = [...new Set(clusterIds)];
    if (!unique.length) return;
    const reports = await withTimeout(
      this.node
        .getInteractionClient()
        .getMultipleAttributes({ attributes: unique.map((id) => ({ endpointId: EndpointNumber(this.number), clusterId: ClusterId(id) })) }),
      'a read',
    );
    for (const r of reports) this.note(r.path.clusterId, r.path.attributeName, r.value);
  }
}
