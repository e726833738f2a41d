import {
  DEVICE_TYPES,
  StewardError,
  TRAITS,
  commandEffect,
  findCommand,
  type Attributes,
  type DeviceDescriptor,
  type DeviceType,
  type State,
  type TraitId,
} from '@steward/device-adapters';
import { colorControlMapping } from './color-control.ts';
import { doorLockMapping } from './door-lock.ts';
import { electricalMeasurementMapping } from './electrical-measurement.ts';
import { fanControlMapping } from './fan-control.ts';
import { levelControlMapping } from './level-control.ts';
import type { ClusterMapping, EndpointView } from './mapping.ts';
import { onOffMapping } from './on-off.ts';
import { booleanStateMapping, humidityMapping, occupancyMapping, powerSourceMapping, smokeCoAlarmMapping, temperatureMapping } from './sensors.ts';
import { thermostatMapping } from './thermostat.ts';
import { windowCoveringMapping } from './window-covering.ts';

export type { ClusterMapping, ClusterRef, EndpointView } from './mapping.ts';

/** every cluster Steward maps, in the order their traits are claimed (OnOff before FanControl's own power) */
export const MAPPINGS: readonly ClusterMapping[] = [
  onOffMapping,
  levelControlMapping,
  colorControlMapping,
  thermostatMapping,
  fanControlMapping,
  windowCoveringMapping,
  doorLockMapping,
  electricalMeasurementMapping,
  temperatureMapping,
  humidityMapping,
  occupancyMapping,
  booleanStateMapping,
  smokeCoAlarmMapping,
  powerSourceMapping,
];

/** Matter device type ids that say "light" or "plug" when the clusters alone do not */
const LIGHT_DEVICE_TYPES = new Set([0x0100, 0x0101, 0x010c, 0x010d]);
const PLUG_DEVICE_TYPES = new Set([0x010a, 0x010b]);

/** the cluster ids whose attribute changes can change this endpoint's state */
export function watchedClusters(ep: EndpointView): Set<number> {
  return new Set(present(ep).flatMap(({ mapping }) => [mapping.cluster, ...(mapping.reads ?? [])].map((c) => c.id)));
}

/** the mappings on this endpoint with the traits each one claims (a trait goes to the first mapping claiming it) */
function present(ep: EndpointView): { mapping: ClusterMapping; traits: TraitId[]; attributes: Attributes }[] {
  const claimed = new Set<TraitId>();
  const out: { mapping: ClusterMapping; traits: TraitId[]; attributes: Attributes }[] = [];
  for (const mapping of MAPPINGS) {
    if (!ep.has(mapping.cluster)) continue;
    const d = mapping.describe(ep);
    const traits = d.traits.filter((t) => !claimed.has(t));
    traits.forEach((t) => claimed.add(t));
    if (traits.length) out.push({ mapping, traits, attributes: d.attributes ?? {} });
  }
  return out;
}

function chooseType(traits: ReadonlySet<TraitId>, ep: EndpointView, attributes: Attributes): DeviceType {
  if (traits.has('lock')) return 'lock';
  if (traits.has('position')) return 'curtain';
  if (traits.has('thermostat')) return (attributes.modes as string[]).includes('cool') ? 'air_conditioner' : 'heater';
  if (traits.has('fanSpeed')) return 'fan';
  if (traits.has('powerMeter') || ep.deviceTypes.some((t) => PLUG_DEVICE_TYPES.has(t))) return 'plug';
  if (traits.has('brightness') || traits.has('color') || traits.has('colorTemperature')) return 'light';
  if (traits.has('onOff')) return ep.deviceTypes.some((t) => LIGHT_DEVICE_TYPES.has(t)) ? 'light' : 'plug';
  return 'sensor';
}

/** The descriptor (without id) an endpoint would have, or undefined when Steward maps none of its clusters. */
export function describeEndpoint(ep: EndpointView): Omit<DeviceDescriptor, 'id'> | undefined {
  const found = present(ep);
  if (!found.length) return undefined;
  const attributes: Attributes = Object.assign({}, ...found.map((f) => f.attributes));
  const all = new Set(found.flatMap((f) => f.traits));
  const type = chooseType(all, ep, attributes);
  const allowed: readonly TraitId[] = DEVICE_TYPES[type].traits;
  const traits = [...all].filter((t) => allowed.includes(t));
  if (!traits.length) return undefined;
  return { type, names: {}, traits, attributes };
}

export function readState(ep: EndpointView): State {
  return Object.assign({}, ...present(ep).map(({ mapping }) => mapping.read(ep)));
}

export function readTargets(ep: EndpointView): State {
  return Object.assign({}, ...present(ep).map(({ mapping }) => mapping.targets?.(ep) ?? {}));
}

/**
 * Runs a trait command on an endpoint: the trait's own effect (validated params, ranges, relative steps) gives the
 * fields it asks for, and each mapping sends its share as cluster commands.
 */
export async function executeCommand(ep: EndpointView, descriptor: DeviceDescriptor, state: State, command: string, params: unknown): Promise<void> {
  const { trait } = findCommand(descriptor, command);
  const owners = present(ep).filter((p) => p.traits.includes(trait));
  const special = owners.find((o) => o.mapping.commands?.[command]);
  if (special) {
    return special.mapping.commands![command]!(ep);
  }
  const patch = commandEffect(descriptor, state, command, params);
  for (const { mapping, traits } of present(ep)) {
    const fields = new Set(traits.flatMap((t) => Object.keys(TRAITS[t].fields)));
    const mine = Object.fromEntries(Object.entries(patch).filter(([f]) => fields.has(f)));
    if (!Object.keys(mine).length) continue;
    if (!mapping.apply) throw new StewardError('UNSUPPORTED_COMMAND', `${command} is not something a Matter ${mapping.cluster.name} cluster can do`);
    await mapping.apply(ep, mine, state);
  }
}
