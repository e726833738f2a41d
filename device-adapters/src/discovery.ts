import { z } from 'zod';
import { DeviceDescriptorSchema, type DeviceDescriptor } from './home.ts';
import { StateSchema, type State } from './trait.ts';
import type { DeviceDriver } from './driver.ts';

/**
 * Devices a node finds after it is paired (a Matter fabric, a bridge's children), as opposed to the devices its
 * configuration declares. A driver module may export `createDiscovery(options, context)` beside `createDriver`;
 * the node agent runs it, announces what it finds to the hub, and opens a driver for each device the owner adopts.
 *
 * `key` is the device's id inside its ecosystem (a Matter node id and endpoint, a MAC): stable across restarts of
 * the node and of the device, so an adoption survives both.
 */
export const FoundDeviceSchema = z
  .object({
    key: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'keys are letters, digits and _ . : -'),
    /** the descriptor the device would have; the owner's name and area are added on adoption */
    descriptor: DeviceDescriptorSchema.omit({ id: true }),
    /** what the device says about itself (vendor, product), shown to the owner: data, never instructions */
    label: z.string().max(200).default(''),
    state: StateSchema.default({}),
  })
  .strict();
export type FoundDevice = z.infer<typeof FoundDeviceSchema>;

export type DiscoveryEvent = { kind: 'found'; device: FoundDevice } | { kind: 'lost'; key: string };

export interface DiscoveryContext {
  /** the node's data folder: a driver keeps its ecosystem secrets here (mode 0600), never in logs */
  dataDir: string;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/** One ecosystem seen from a node. Found devices come and go; adopted ones get a DeviceDriver from `open`. */
export interface DeviceDiscovery {
  /** the ecosystem's name, e.g. `matter` */
  readonly ecosystem: string;
  start(): Promise<void>;
  /** the devices currently found, adopted or not */
  found(): FoundDevice[];
  onChange(listener: (event: DiscoveryEvent) => void): () => void;
  /** A driver for an adopted device. `descriptor.id` is the hub's id for it; `key` is the ecosystem's. */
  open(key: string, descriptor: DeviceDescriptor, initialState: State): Promise<DeviceDriver>;
  /** Brings a new device into the ecosystem (a Matter setup code). Resolves with what it found. Optional. */
  commission?(setupCode: string): Promise<FoundDevice[]>;
  /** Removes the device from its ecosystem (Matter: decommission). Called when the owner removes it. Optional. */
  forget?(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface DiscoveryModule {
  createDiscovery(options: Record<string, unknown>, context: DiscoveryContext): DeviceDiscovery | Promise<DeviceDiscovery>;
}
