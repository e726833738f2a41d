import { commandsOf } from '@steward/device-adapters';
import type { Registry } from '../registry/registry.ts';
import type { DeviceRecord } from '../store/registry-store.ts';
import type { DeviceInfo, NodeInfo } from './schemas.ts';

/** A device as the API shows it: what it is, where, whether its node is online, and its state. */
export function deviceInfo(registry: Registry, d: DeviceRecord): DeviceInfo {
  return {
    id: d.id,
    type: d.type,
    names: d.names,
    area: d.area,
    node: d.nodeId,
    online: registry.isOnline(d.nodeId),
    traits: [...d.traits],
    attributes: d.attributes,
    confirm: [...d.confirm],
    commands: commandsOf(d),
    state: registry.state(d.id) ?? {},
    reported: registry.reported(d.id),
    targets: registry.targets(d.id),
  };
}

/** `paired`: the node ids holding credentials from a pairing (demo and home-file nodes are not paired) */
export function nodeInfos(registry: Registry, paired: ReadonlySet<string> = new Set()): NodeInfo[] {
  return registry.nodes().map((n) => ({
    id: n.id,
    name: n.names.en?.[0] ?? Object.values(n.names)[0]?.[0] ?? n.id,
    names: n.names,
    kind: n.kind,
    online: n.online,
    paired: paired.has(n.id),
    homieState: n.homieState,
    lastSeenAt: n.lastSeenAt === null ? null : new Date(n.lastSeenAt).toISOString(),
    devices: n.devices,
  }));
}
