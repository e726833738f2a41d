import type { Logger } from 'pino';
import { StewardError, defaultConfirmRules, type Area, type HomieState, type Scene, type State, type Value } from '@steward/device-adapters';
import type { NodeKindSchema } from '@steward/device-adapters';
import { friendlyNameLanguage, type PairedDevice } from '@steward/device-adapters/protocol/pairing.ts';
import type { z } from 'zod';
import type { DeviceRecord, NodeRecord, RegistryStore } from '../store/registry-store.ts';
import type { StateChange, StateStore } from '../store/state-store.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { Signal } from '../core/signal.ts';

export interface NodeStatus extends NodeRecord {
  /** Homie `$state` is `ready` (Homie 5: any other state means the node cannot take commands now) */
  online: boolean;
  /** the `$state` seen since this hub started; null until the node speaks */
  homieState: HomieState | null;
  devices: string[];
}

export interface DeviceEdit {
  /** replaces the names of each language given; other languages keep theirs */
  names?: Record<string, string[]>;
  area?: string;
}

/** What a node acknowledged for one device: actual values and pending targets of moving fields. */
export interface AcknowledgedState {
  state: State;
  targets: Record<string, Value>;
}

/** A node the registry learns at run time (from pairing): what it needs of it, whoever registers it. */
export interface NodeRegistration {
  id: string;
  name: string;
  kind: z.infer<typeof NodeKindSchema>;
}

/** where a paired device goes when it suggests no area, or one this home does not have; the owner moves it later */
export const UNASSIGNED_AREA: Area = { id: 'unassigned', names: { en: ['unassigned'], zh: ['未分配'] } };

/**
 * The hub's in-memory registry: loaded from SQLite at start, written through on every change. It is the HomeView the
 * understanding engine reads, and it knows which nodes are online. Presence is never persisted: after a restart every
 * node is offline until it says `ready` again.
 */
export class Registry {
  private _version = 1;
  private areaList: Area[];
  private sceneList: Scene[];
  private deviceList: DeviceRecord[];
  private readonly deviceById = new Map<string, DeviceRecord>();
  private readonly nodeById = new Map<string, NodeRecord>();
  private readonly presence = new Map<string, HomieState>();
  private readonly reportedById = new Map<string, State>();
  private readonly targetsById = new Map<string, State>();
  private readonly log: Logger;

  /** the registry's structure changed (names, areas, devices): carries the new version */
  readonly changed = new Signal<number>();
  /** a node went online or offline */
  readonly presenceChanged = new Signal<{ nodeId: string; online: boolean }>();
  /** a device's reported value or pending target changed */
  readonly stateChanged = new Signal<{ deviceId: string }>();
  /** a device left the registry (`withNode`: its whole node was removed) */
  readonly deviceRemoved = new Signal<{ deviceId: string; nodeId: string; withNode: boolean }>();

  constructor(
    private readonly registryStore: RegistryStore,
    private readonly stateStore: StateStore,
    logger: Logger,
    /** the hub's clock: state history and node-state timestamps */
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {
    this.log = logger.child({ component: 'registry' });
    this.areaList = [];
    this.sceneList = [];
    this.deviceList = [];
    this.reload();
    for (const [deviceId, s] of stateStore.loadAll()) {
      this.reportedById.set(deviceId, s.reported);
      this.targetsById.set(deviceId, s.targets);
    }
  }

  /** Re-reads areas, nodes, devices and scenes from the store (after a seed or an edit) and bumps the version. */
  reload(): void {
    this.areaList = this.registryStore.areas();
    this.sceneList = this.registryStore.scenes();
    this.deviceList = this.registryStore.devices();
    this.deviceById.clear();
    for (const d of this.deviceList) this.deviceById.set(d.id, d);
    this.nodeById.clear();
    for (const n of this.registryStore.nodes()) this.nodeById.set(n.id, n);
    this._version++;
    this.changed.emit(this._version, (err) => this.log.error({ err }, 'registry change listener failed'));
  }

  // --- HomeView ---

  get version(): number {
    return this._version;
  }

  areas(): readonly Area[] {
    return this.areaList;
  }

  devices(): readonly DeviceRecord[] {
    return this.deviceList;
  }

  scenes(): readonly Scene[] {
    return this.sceneList;
  }

  /** targets of moving fields over reported values; undefined when the device never reported */
  state(deviceId: string): State | undefined {
    const reported = this.reportedById.get(deviceId);
    const targets = this.targetsById.get(deviceId);
    if (!reported && !targets) return undefined;
    return { ...reported, ...targets };
  }

  // --- lookups ---

  device(deviceId: string): DeviceRecord | undefined {
    return this.deviceById.get(deviceId);
  }

  reported(deviceId: string): State {
    return { ...this.reportedById.get(deviceId) };
  }

  targets(deviceId: string): State {
    return { ...this.targetsById.get(deviceId) };
  }

  hasNode(nodeId: string): boolean {
    return this.nodeById.has(nodeId);
  }

  isOnline(nodeId: string): boolean {
    return this.presence.get(nodeId) === 'ready';
  }

  nodes(): NodeStatus[] {
    return [...this.nodeById.values()].map((n) => this.nodeStatus(n));
  }

  node(nodeId: string): NodeStatus | undefined {
    const n = this.nodeById.get(nodeId);
    return n ? this.nodeStatus(n) : undefined;
  }

  private nodeStatus(n: NodeRecord): NodeStatus {
    const homieState = this.presence.get(n.id) ?? null;
    return {
      ...n,
      online: homieState === 'ready',
      homieState,
      devices: this.deviceList.filter((d) => d.nodeId === n.id).map((d) => d.id),
    };
  }

  // --- changes from nodes ---

  /** A node's Homie `$state`; null when its retained `$state` was cleared. Unknown nodes are ignored (false). */
  setNodeState(nodeId: string, homieState: HomieState | null): boolean {
    if (!this.nodeById.has(nodeId)) return false;
    const wasOnline = this.isOnline(nodeId);
    if (homieState === null) this.presence.delete(nodeId);
    else this.presence.set(nodeId, homieState);
    if (homieState !== null) this.registryStore.recordNodeState(nodeId, homieState, this.clock.now());
    const online = this.isOnline(nodeId);
    if (online !== wasOnline) {
      this.log.info({ nodeId, homieState }, online ? 'node online' : 'node offline');
      this.presenceChanged.emit({ nodeId, online }, (err) => this.log.error({ err }, 'presence listener failed'));
    }
    return true;
  }

  /** A reported value (Homie property). */
  reportValue(deviceId: string, field: string, value: Value): void {
    this.commit(deviceId, this.valueChanges(deviceId, { [field]: value }, this.clock.now()));
  }

  /** A pending target (Homie `$target`); null clears it. */
  reportTarget(deviceId: string, field: string, target: Value): void {
    this.commit(deviceId, this.targetChanges(deviceId, { [field]: target }, this.clock.now(), false));
  }

  /**
   * What a node acknowledged (command, reset or snapshot): its values, and its pending targets. The agent lists every
   * pending target of the device, so a moving field it no longer lists has arrived and its target is cleared.
   */
  applyAcknowledged(deviceId: string, ack: AcknowledgedState): void {
    const at = this.clock.now();
    this.commit(deviceId, [...this.valueChanges(deviceId, ack.state, at), ...this.targetChanges(deviceId, ack.targets, at, true)]);
  }

  private valueChanges(deviceId: string, values: State, at: number): StateChange[] {
    const current = this.reportedById.get(deviceId) ?? {};
    return Object.entries(values)
      .filter(([field, value]) => !(field in current) || current[field] !== value)
      .map(([field, value]) => ({ deviceId, field, kind: 'value', value, at }));
  }

  private targetChanges(deviceId: string, targets: Record<string, Value>, at: number, complete: boolean): StateChange[] {
    const current = this.targetsById.get(deviceId) ?? {};
    const out: StateChange[] = [];
    for (const [field, target] of Object.entries(targets)) {
      const pending = field in current;
      if (target === null ? pending : !pending || current[field] !== target) out.push({ deviceId, field, kind: 'target', value: target, at });
    }
    if (complete) {
      for (const field of Object.keys(current)) if (!(field in targets)) out.push({ deviceId, field, kind: 'target', value: null, at });
    }
    return out;
  }

  /** Writes to SQLite first: memory changes only once the store has it. */
  private commit(deviceId: string, changes: StateChange[]): void {
    if (changes.length === 0) return;
    this.stateStore.write(changes);
    const reported = { ...this.reportedById.get(deviceId) };
    const targets = { ...this.targetsById.get(deviceId) };
    for (const c of changes) {
      if (c.kind === 'value') reported[c.field] = c.value;
      else if (c.value === null) delete targets[c.field];
      else targets[c.field] = c.value;
    }
    this.reportedById.set(deviceId, reported);
    this.targetsById.set(deviceId, targets);
    this.stateChanged.emit({ deviceId }, (err) => this.log.error({ err }, 'state listener failed'));
  }

  // --- pairing ---

  /**
   * A node that just paired (pairing's `onNodePaired`): the node and its declared devices under the node's id, in
   * their suggested area when the home has it (otherwise `unassigned`). A device id another node already uses is a
   * CONFLICT, and throwing undoes the pairing. Pairing again (same key, same node id) updates the same entries.
   */
  addPairedNode(node: NodeRegistration, devices: readonly PairedDevice[]): void {
    for (const d of devices) {
      const taken = this.deviceById.get(d.id);
      if (taken && taken.nodeId !== node.id) {
        throw new StewardError('CONFLICT', `device id ${d.id} is already used by node ${taken.nodeId}: rename the device on the agent and pair again`);
      }
    }
    // the suggested area is an area's id or one of its names in any language ("bedroom", "Bedroom", "卧室")
    const byName = new Map<string, string>();
    for (const a of this.areaList) {
      byName.set(a.id, a.id);
      for (const names of Object.values(a.names)) for (const n of names) if (!byName.has(n.trim().toLowerCase())) byName.set(n.trim().toLowerCase(), a.id);
    }
    const areaOf = (d: PairedDevice) => (d.area !== undefined ? byName.get(d.area) ?? byName.get(d.area.trim().toLowerCase()) : undefined) ?? UNASSIGNED_AREA.id;
    const known = new Set(this.areaList.map((a) => a.id));
    const needsUnassigned = devices.some((d) => areaOf(d) === UNASSIGNED_AREA.id) && !known.has(UNASSIGNED_AREA.id);
    this.registryStore.addPairedNode(
      { id: node.id, kind: node.kind, names: { [friendlyNameLanguage(node.name)]: [node.name] } },
      devices.map((d) => ({
        id: d.id,
        type: d.type,
        area: areaOf(d),
        names: d.names,
        traits: [...d.traits],
        attributes: d.attributes,
        confirm: defaultConfirmRules(d),
      })),
      needsUnassigned ? UNASSIGNED_AREA : undefined,
    );
    this.reload();
    this.log.info({ nodeId: node.id, devices: devices.map((d) => d.id) }, 'paired node added');
  }

  /**
   * A device the owner adopted on a node the registry has (found by the node after pairing): with its type's
   * confirm defaults, in an area the home has. Its id must be free.
   */
  addDevice(nodeId: string, device: Omit<DeviceRecord, 'nodeId'>): DeviceRecord {
    if (!this.nodeById.has(nodeId)) throw new StewardError('NOT_FOUND', `no node ${nodeId}`);
    if (this.deviceById.has(device.id)) throw new StewardError('CONFLICT', `device id ${device.id} is already used by node ${this.deviceById.get(device.id)!.nodeId}`);
    if (!this.areaList.some((a) => a.id === device.area)) throw new StewardError('BAD_REQUEST', `no area ${device.area}`);
    this.registryStore.addDevice(nodeId, { ...device, confirm: [...new Set([...defaultConfirmRules(device), ...device.confirm])] });
    this.reload();
    this.log.info({ nodeId, deviceId: device.id }, 'device added');
    return this.deviceById.get(device.id)!;
  }

  // --- owner's edits ---

  /**
   * Removes a node and its devices from memory and SQLite (state and history too): gone from every list and from
   * understanding's view (the version bumps). Revoking its credentials first is the caller's part.
   */
  removeNode(nodeId: string): { nodeId: string; devices: string[] } {
    if (!this.nodeById.has(nodeId)) throw new StewardError('NOT_FOUND', `no node ${nodeId}`);
    const devices = this.registryStore.removeNode(nodeId, this.clock.now());
    for (const id of devices) this.forgetState(id);
    const wasOnline = this.isOnline(nodeId);
    this.presence.delete(nodeId);
    this.reload();
    if (wasOnline) this.presenceChanged.emit({ nodeId, online: false }, (err) => this.log.error({ err }, 'presence listener failed'));
    for (const deviceId of devices) this.deviceRemoved.emit({ deviceId, nodeId, withNode: true }, (err) => this.log.error({ err }, 'removal listener failed'));
    this.log.info({ nodeId, devices }, 'node removed');
    return { nodeId, devices };
  }

  /** Removes one device (its node stays) from memory and SQLite. */
  removeDevice(deviceId: string): { deviceId: string; nodeId: string } {
    const device = this.deviceById.get(deviceId);
    if (!device) throw new StewardError('UNKNOWN_DEVICE', `no device ${deviceId}`);
    this.registryStore.removeDevice(deviceId, this.clock.now());
    this.forgetState(deviceId);
    this.reload();
    this.deviceRemoved.emit({ deviceId, nodeId: device.nodeId, withNode: false }, (err) => this.log.error({ err }, 'removal listener failed'));
    this.log.info({ deviceId, nodeId: device.nodeId }, 'device removed');
    return { deviceId, nodeId: device.nodeId };
  }

  private forgetState(deviceId: string): void {
    this.reportedById.delete(deviceId);
    this.targetsById.delete(deviceId);
  }

  /** Renames and/or moves a device; the version bumps so understanding learns the new names. */
  editDevice(deviceId: string, edit: DeviceEdit): DeviceRecord {
    const device = this.deviceById.get(deviceId);
    if (!device) throw new StewardError('UNKNOWN_DEVICE', `no device ${deviceId}`);
    if (edit.area !== undefined && !this.areaList.some((a) => a.id === edit.area)) {
      throw new StewardError('BAD_REQUEST', `area: no area ${edit.area} (areas: ${this.areaList.map((a) => a.id).join(', ')})`);
    }
    const names = edit.names ? { ...device.names, ...edit.names } : undefined;
    this.registryStore.editDevice(deviceId, { ...(names ? { names } : {}), ...(edit.area !== undefined ? { area: edit.area } : {}) });
    this.reload();
    this.log.info({ deviceId, ...edit }, 'device edited');
    return this.deviceById.get(deviceId)!;
  }
}
