import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DiscoveryReportSchema,
  DISCOVERY_LIMITS,
  StewardError,
  isStewardError,
  type AnnouncedDevice,
  type DiscoveryReport,
} from '@steward/device-adapters';
import { friendlyNameLanguage } from '@steward/device-adapters/protocol/pairing.ts';
import type { Clock } from '../core/clock.ts';
import type { Rejections } from '../core/rejections.ts';
import { Signal } from '../core/signal.ts';
import type { Registry } from '../registry/registry.ts';
import type { DeviceRecord } from '../store/registry-store.ts';
import type { RpcClient } from '../transport/rpc-client.ts';
import { adoptedNames, adoptionView, plainText, type AdoptBody, type AdoptionView } from './schemas.ts';
import type { AdoptionRecord, AdoptionStore } from './store.ts';

export type AdoptionAction = 'found' | 'adopted' | 'ignored' | 'lost';
/** what the SSE events feature forwards as event `adoption` */
export interface AdoptionEvent {
  action: AdoptionAction;
  adoption: AdoptionView;
}

export interface AdoptionServiceDeps {
  store: AdoptionStore;
  registry: Registry;
  rpc: Pick<RpcClient, 'call'>;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  rejections?: Rejections;
  commissionTimeoutMs: number;
}

const LABEL_MAX = 200;

/**
 * Devices that nodes find after pairing, from their reports to the owner's decision. Nothing is adopted without
 * the owner (POST /api/adoptions/:id); an adopted device gets its type's confirm defaults (a lock's unlock) from the
 * registry, and the node holds it to the same. What a node says about a device (its label, its suggested names) is
 * kept as plain text and shown, never acted on.
 */
export class AdoptionService {
  readonly changed = new Signal<AdoptionEvent>();
  private readonly log: Logger;
  /** records being adopted right now: a report that no longer lists them (the node already adopted) must not drop them */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: AdoptionServiceDeps) {
    this.log = deps.logger.child({ component: 'adoption' });
  }

  /** pending records, oldest first (those of a node removed since are dropped here) */
  pending(): AdoptionView[] {
    const all = this.deps.store.list('pending');
    for (const nodeId of new Set(all.filter((r) => !this.deps.registry.hasNode(r.nodeId)).map((r) => r.nodeId))) this.deps.store.deleteNode(nodeId);
    return all.filter((r) => this.deps.registry.hasNode(r.nodeId)).map(adoptionView);
  }

  /** A node's retained report (`steward/1/<node>/discovery`): checked, then the records follow it. */
  onReport(nodeId: string, payload: Buffer): void {
    if (payload.length === 0) return; // cleared (a revoked node)
    if (!this.deps.registry.hasNode(nodeId)) return void this.log.debug({ nodeId }, 'ignored the discovery report of a node not in the registry');
    if (payload.length > DISCOVERY_LIMITS.reportBytes) return this.reject(nodeId, `discovery report over ${DISCOVERY_LIMITS.reportBytes} bytes`, { bytes: payload.length });
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.reject(nodeId, 'discovery report is not JSON', {});
    }
    const r = DiscoveryReportSchema.safeParse(raw);
    if (!r.success) return this.reject(nodeId, 'discovery report does not follow the protocol', { issues: r.error.issues.slice(0, 3) });
    this.apply(nodeId, r.data);
  }

  private reject(nodeId: string, why: string, context: Record<string, unknown>): void {
    if (this.deps.rejections) this.deps.rejections.reject('mqtt-payload', nodeId, why, { nodeId, ...context });
    else this.log.warn({ nodeId, ...context }, `dropped: ${why}`);
  }

  private emit(action: AdoptionAction, r: AdoptionRecord): void {
    this.changed.emit({ action, adoption: adoptionView(r) }, (err) => this.log.error({ err }, 'adoption listener failed'));
  }

  private apply(nodeId: string, report: DiscoveryReport): void {
    const { store } = this.deps;
    const now = this.deps.clock.now();
    const listed = new Set<string>();
    for (const f of report.found) {
      listed.add(this.upsertFound(nodeId, f, store.byKey(nodeId, f.ecosystem, f.key), now).id);
    }
    // no longer found: a pending one is lost; an ignored one is forgotten (found anew later, it is listed again)
    for (const r of store.ofNode(nodeId)) {
      if (listed.has(r.id) || this.inFlight.has(r.id) || (r.status !== 'pending' && r.status !== 'ignored')) continue;
      store.delete(r.id);
      if (r.status === 'pending') this.emit('lost', r);
    }
    // adopted devices the node dropped because their ecosystem lost them: off the hub too
    for (const l of report.lost) {
      const r = store.byKey(nodeId, l.ecosystem, l.key);
      if (!r || r.status !== 'adopted' || r.deviceId !== l.deviceId) continue;
      // the record goes first, so the registry's removal signal does not ask the node to forget what it lost
      store.delete(r.id);
      if (this.deps.registry.device(l.deviceId)?.nodeId === nodeId) this.deps.registry.removeDevice(l.deviceId);
      this.log.info({ nodeId, deviceId: l.deviceId, ecosystem: l.ecosystem, key: l.key }, 'adopted device lost by its ecosystem: removed');
      this.emit('lost', r);
    }
  }

  /** a found device: new → pending; pending → refreshed; removing (the node dropped it already) → pending again */
  private upsertFound(nodeId: string, f: AnnouncedDevice, existing: AdoptionRecord | undefined, now: number, again = false): AdoptionRecord {
    const { store } = this.deps;
    const fields = {
      descriptor: { type: f.descriptor.type, names: f.descriptor.names, traits: [...f.descriptor.traits], attributes: f.descriptor.attributes },
      label: plainText(f.label, LABEL_MAX),
      state: f.state,
    };
    if (existing && (existing.status === 'pending' || existing.status === 'adopted' || (existing.status === 'ignored' && !again))) {
      if (existing.status === 'pending') store.refresh(existing.id, fields, now);
      return store.get(existing.id)!;
    }
    if (existing) store.delete(existing.id);
    const record: AdoptionRecord = {
      id: randomBytes(6).toString('hex'),
      nodeId,
      ecosystem: f.ecosystem,
      key: f.key,
      ...fields,
      status: 'pending',
      deviceId: null,
      foundAt: now,
      updatedAt: now,
    };
    store.insert(record);
    this.log.info({ nodeId, adoptionId: record.id, ecosystem: f.ecosystem, key: f.key, type: f.descriptor.type }, 'device found: waiting for the owner');
    this.emit('found', record);
    return record;
  }

  private record(id: string): AdoptionRecord {
    const r = this.deps.store.get(id);
    if (!r || !this.deps.registry.hasNode(r.nodeId)) throw new StewardError('NOT_FOUND', `no adoption ${id} (GET /api/adoptions lists those waiting)`);
    return r;
  }

  /** an area's id, or one of its names in any language (case aside) */
  private areaOf(area: string): string {
    const areas = this.deps.registry.areas();
    const wanted = area.trim().toLowerCase();
    const hit = areas.find((a) => a.id === area) ?? areas.find((a) => Object.values(a.names).some((ns) => ns.some((n) => n.trim().toLowerCase() === wanted)));
    if (!hit) throw new StewardError('BAD_REQUEST', `area: no area "${plainText(area, 60)}" in this home (areas: ${areas.map((a) => a.id).join(', ') || 'none'})`);
    return hit.id;
  }

  /** a free device id from the name (`Porch light` → `porch_light`), or from the type when the name has no Latin letters */
  private deviceIdFor(name: string, type: string): string {
    const slug = name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40)
      .replace(/_+$/g, '');
    const base = slug || `${type}_${randomBytes(2).toString('hex')}`;
    let id = base;
    for (let n = 2; this.deps.registry.device(id) || this.deps.store.byDevice(id); n++) id = `${base}_${n}`;
    return id;
  }

  /**
   * The owner adopts a found device with a name and an area: the node opens it (signed RPC), then the registry has
   * it with its type's confirm defaults and the state the node acknowledged.
   */
  async adopt(id: string, body: AdoptBody): Promise<DeviceRecord> {
    const r = this.record(id);
    if (r.status === 'adopted') throw new StewardError('CONFLICT', `adoption ${id} is already adopted as ${r.deviceId}`);
    if (r.status !== 'pending') throw new StewardError('CONFLICT', `adoption ${id} is ${r.status}, not waiting for adoption`);
    if (this.inFlight.has(id)) throw new StewardError('CONFLICT', `adoption ${id} is being adopted already`);
    const area = this.areaOf(body.area);
    const names = adoptedNames(body, friendlyNameLanguage(body.name));
    const deviceId = this.deviceIdFor(body.name, r.descriptor.type);
    if (!this.deps.registry.isOnline(r.nodeId)) throw new StewardError('NODE_OFFLINE', `adoption ${id} is unreachable: its node ${r.nodeId} is offline`, { nodeId: r.nodeId });
    // in the registry before the node opens it: the values the node publishes as it does are the device's, not
    // strangers' (a failure takes it out again)
    const device = this.deps.registry.addDevice(r.nodeId, {
      id: deviceId,
      type: r.descriptor.type,
      area,
      names,
      traits: [...r.descriptor.traits],
      attributes: r.descriptor.attributes,
      confirm: [],
    });
    this.inFlight.add(id);
    try {
      const res = await this.deps.rpc.call(r.nodeId, 'adopt', { ecosystem: r.ecosystem, key: r.key, deviceId, names }, `adoption ${id}`);
      const d = res.device;
      // the owner adopted what the list showed: a node that opens something else is refused
      if (d.id !== deviceId || d.type !== r.descriptor.type || d.traits.join() !== r.descriptor.traits.join()) {
        await this.forgetOnNode(r.nodeId, deviceId);
        throw new StewardError('DRIVER_ERROR', `node ${r.nodeId} opened ${r.key} as a ${d.type} (${d.traits.join(', ')}), not the ${r.descriptor.type} it reported`);
      }
      this.deps.registry.applyAcknowledged(deviceId, { state: res.state, targets: res.targets });
      this.deps.store.setStatus(id, 'adopted', deviceId, this.deps.clock.now());
      this.log.info({ adoptionId: id, nodeId: r.nodeId, deviceId, area, confirm: device.confirm }, 'device adopted');
      this.emit('adopted', this.record(id));
      return this.deps.registry.device(deviceId) ?? device;
    } catch (e) {
      if (this.deps.registry.device(deviceId)) this.deps.registry.removeDevice(deviceId);
      throw e;
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** The owner does not want it: not listed again while the node keeps finding it. */
  ignore(id: string): void {
    const r = this.record(id);
    if (r.status === 'ignored') return;
    if (r.status !== 'pending') throw new StewardError('CONFLICT', `adoption ${id} is ${r.status}${r.deviceId ? ` as ${r.deviceId}: remove the device with DELETE /api/devices/${r.deviceId}` : ''}`);
    this.deps.store.setStatus(id, 'ignored', null, this.deps.clock.now());
    this.log.info({ adoptionId: id, nodeId: r.nodeId, key: r.key }, 'found device ignored');
    this.emit('ignored', this.record(id));
  }

  /** Asks a node to commission a device with its setup code; resolves with the records of what it found. */
  async commission(nodeId: string, setupCode: string, ecosystem?: string): Promise<AdoptionView[]> {
    if (!this.deps.registry.hasNode(nodeId)) throw new StewardError('NOT_FOUND', `no node ${nodeId}`);
    const res = await this.deps.rpc.call(nodeId, 'commission', { setupCode, ...(ecosystem ? { ecosystem } : {}) }, `node ${nodeId}`, {
      timeoutMs: this.deps.commissionTimeoutMs,
    });
    const now = this.deps.clock.now();
    // commissioned on purpose: listed even when the owner once ignored it
    return res.found.map((f) => adoptionView(this.upsertFound(nodeId, f, this.deps.store.byKey(nodeId, f.ecosystem, f.key), now, true)));
  }

  /** The registry removed a device: an adopted one is forgotten by its node (retried when the node is back). */
  onDeviceRemoved(e: { deviceId: string; nodeId: string; withNode: boolean }): void {
    if (e.withNode) return this.deps.store.deleteNode(e.nodeId);
    const r = this.deps.store.byDevice(e.deviceId);
    if (!r || r.status !== 'adopted') return;
    this.deps.store.setStatus(r.id, 'removing', r.deviceId, this.deps.clock.now());
    void this.forget(r.id);
  }

  /**
   * The owner removes the whole node: before it is revoked, an online node takes its adopted devices out of their
   * ecosystems (`forget`, in parallel, all within `timeoutMs`). An offline node is not waited for: its devices stay
   * in their ecosystem (the node, revoked, never hears of it). Returns which devices the node forgot and which not.
   */
  async forgetNode(nodeId: string, timeoutMs: number): Promise<{ forgotten: string[]; notForgotten: string[] }> {
    const ids = this.deps.store
      .ofNode(nodeId)
      .filter((r) => (r.status === 'adopted' || r.status === 'removing') && r.deviceId)
      .map((r) => r.deviceId!);
    if (ids.length === 0) return { forgotten: [], notForgotten: [] };
    if (!this.deps.registry.isOnline(nodeId)) {
      this.log.warn({ nodeId, devices: ids }, 'removing an offline node: its adopted devices stay in their ecosystem');
      return { forgotten: [], notForgotten: ids };
    }
    const forgotten = new Set<string>();
    const calls = ids.map((deviceId) =>
      this.deps.rpc.call(nodeId, 'forget', { deviceId }, deviceId, { timeoutMs }).then(
        () => void forgotten.add(deviceId),
        (e: Error) => this.log.warn({ nodeId, deviceId, err: e.message }, 'the node did not forget an adopted device before its removal'),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(calls), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    const result = { forgotten: ids.filter((id) => forgotten.has(id)), notForgotten: ids.filter((id) => !forgotten.has(id)) };
    this.log.info({ nodeId, ...result }, 'adopted devices forgotten by their node before its removal');
    return result;
  }

  /** a node came online: the removals it missed */
  onNodeOnline(nodeId: string): void {
    for (const r of this.deps.store.ofNode(nodeId)) if (r.status === 'removing') void this.forget(r.id);
  }

  private async forget(id: string): Promise<void> {
    const r = this.deps.store.get(id);
    if (!r || r.status !== 'removing' || !r.deviceId) return;
    try {
      await this.deps.rpc.call(r.nodeId, 'forget', { deviceId: r.deviceId }, r.deviceId);
    } catch (e) {
      const code = isStewardError(e) ? e.code : 'INTERNAL';
      if (code === 'NODE_OFFLINE' || code === 'TIMEOUT') {
        this.log.info({ nodeId: r.nodeId, deviceId: r.deviceId }, 'the node will forget the removed device when it is back online');
        return;
      }
      // UNKNOWN_DEVICE: the node no longer has it; anything else is logged, and the record goes
      if (code !== 'UNKNOWN_DEVICE') this.log.warn({ nodeId: r.nodeId, deviceId: r.deviceId, err: (e as Error).message }, 'the node refused to forget the removed device');
    }
    this.deps.store.delete(id);
    this.log.info({ nodeId: r.nodeId, deviceId: r.deviceId }, 'removed device forgotten by its node');
  }

  private async forgetOnNode(nodeId: string, deviceId: string): Promise<void> {
    await this.deps.rpc.call(nodeId, 'forget', { deviceId }, deviceId).catch((e: Error) => this.log.warn({ nodeId, deviceId, err: e.message }, 'undoing an adoption on the node failed'));
  }
}
