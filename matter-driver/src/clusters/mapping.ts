import type { Attributes, State, TraitId } from '@steward/device-adapters';

/** a Matter cluster as the mappings name it: its id and its name in the Matter model */
export interface ClusterRef {
  readonly id: number;
  readonly name: string;
}

/**
 * One endpoint of a commissioned node as the mappings see it: attribute values kept fresh by the subscription,
 * and commands and writes that go to the device. Values are the Matter model's (camelCase names, raw units).
 */
export interface EndpointView {
  readonly number: number;
  /** Matter device type ids of this endpoint (Descriptor cluster) */
  readonly deviceTypes: readonly number[];
  has(cluster: ClusterRef): boolean;
  /** a feature of the cluster on this endpoint (`hueSaturation`, `lift`, `heating`...) */
  feature(cluster: ClusterRef, name: string): boolean;
  read(cluster: ClusterRef, attribute: string): unknown;
  invoke(cluster: ClusterRef, command: string, request?: unknown, options?: { timed?: boolean }): Promise<void>;
  write(cluster: ClusterRef, attribute: string, value: unknown): Promise<void>;
}

/**
 * One Matter cluster mapped to Steward traits, in the manner of matter.js behaviours: each module knows its
 * cluster's attributes, units and commands, and nothing else. `apply` gets only the fields of the traits it
 * described for this endpoint.
 */
export interface ClusterMapping {
  readonly name: string;
  /** the cluster that must be on the endpoint; attribute changes of any of `reads` refresh the state */
  readonly cluster: ClusterRef;
  readonly reads?: readonly ClusterRef[];
  /** the traits (and their descriptor attributes) this endpoint gets from the cluster */
  describe(ep: EndpointView): { traits: TraitId[]; attributes?: Attributes };
  /** the actual values of its fields (a field whose attribute is unknown is left out) */
  read(ep: EndpointView): State;
  /** commanded values still on their way (a covering moving) */
  targets?(ep: EndpointView): State;
  /** sends a patch of its fields (what a trait command's effect asks for) as cluster commands or writes */
  apply?(ep: EndpointView, patch: State, state: State): Promise<void>;
  /** trait commands that are not a patch of fields (stop moving) */
  commands?: Record<string, (ep: EndpointView) => Promise<void>>;
}

/** a number attribute, or undefined when the device has not said (null is "unknown" in Matter) */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** State without the fields left undefined */
export function known(fields: Record<string, State[string] | undefined>): State {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as State;
}

export function has(patch: State, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(patch, field);
}

/** rounds to a number of decimals without float noise (21.5, not 21.499999) */
export function round(v: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

export function clampTo(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}
