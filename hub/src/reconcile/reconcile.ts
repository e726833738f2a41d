import type { Logger } from 'pino';
import { fieldsOf, type State, type Value } from '@steward/device-adapters';
import type { Registry } from '../registry/registry.ts';
import type { RpcClient } from '../transport/rpc-client.ts';

/** A settable field a node came back with at another value than the one the hub last committed. */
export interface StateDifference {
  nodeId: string;
  deviceId: string;
  field: string;
  /** what the hub last acknowledged (or was last told) before it restarted */
  acknowledged: Value;
  /** what the node reports now, and what the hub keeps */
  reported: Value;
  /** epoch ms */
  at: number;
}

const MAX_KEPT = 200;

/**
 * After a restart, compares what each node reports when it first comes back with what the hub had committed to
 * SQLite before (read at start, before any MQTT message). Differences in settable fields are logged and kept for
 * GET /api/state-differences; the node's state is then taken as the truth, never overwritten: a device changed by
 * hand (a wall switch, a remote) while the hub was down stays as the person left it. Read-only fields (a room's
 * temperature, a washer's remaining time) change by themselves and are not compared.
 */
export class Reconciler {
  private readonly lastKnown = new Map<string, State>();
  private readonly unchecked = new Set<string>();
  /** online before the RPC client was there: checked once it is */
  private readonly waiting: string[] = [];
  private readonly kept: StateDifference[] = [];
  private readonly log: Logger;
  private off: (() => void) | undefined;
  private rpc: Pick<RpcClient, 'call'> | undefined;

  /** to be made before the hub reads any Homie message: the registry still holds what SQLite had */
  constructor(
    private readonly registry: Registry,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'reconcile' });
    for (const d of registry.devices()) {
      const s = registry.state(d.id);
      if (s) this.lastKnown.set(d.id, s);
    }
    for (const n of registry.nodes()) this.unchecked.add(n.id);
  }

  /** checks each node once, the first time it is online after the start (nodes online already: now) */
  start(rpc: Pick<RpcClient, 'call'>): void {
    this.rpc = rpc;
    for (const nodeId of this.waiting.splice(0)) this.checkLogged(nodeId);
  }

  /** listens for nodes coming online; from the construction on, so none is missed */
  listen(): void {
    this.off = this.registry.presenceChanged.on(({ nodeId, online }) => {
      if (!online || !this.unchecked.delete(nodeId)) return;
      if (this.rpc) this.checkLogged(nodeId);
      else this.waiting.push(nodeId);
    });
  }

  private checkLogged(nodeId: string): void {
    this.check(nodeId).catch((err: Error) => this.log.warn({ nodeId, err: err.message }, 'could not compare the node with the last acknowledged state'));
  }

  stop(): void {
    this.off?.();
  }

  /** the differences found since the start, oldest first (at most 200) */
  differences(): StateDifference[] {
    return [...this.kept];
  }

  private async check(nodeId: string): Promise<void> {
    const snap = await this.rpc!.call(nodeId, 'snapshot', {}, `node ${nodeId}`);
    const at = Date.now();
    const found: StateDifference[] = [];
    for (const [deviceId, s] of Object.entries(snap.devices)) {
      const device = this.registry.device(deviceId);
      if (!device || device.nodeId !== nodeId) continue;
      const known = this.lastKnown.get(deviceId);
      const reported: State = { ...s.state, ...Object.fromEntries(Object.entries(s.targets).filter(([, v]) => v !== null)) };
      const fields = fieldsOf(device);
      for (const [field, value] of Object.entries(reported)) {
        const spec = fields[field];
        if (!known || !spec || spec.readOnly || !(field in known) || known[field] === value) continue;
        found.push({ nodeId, deviceId, field, acknowledged: known[field]!, reported: value, at });
      }
      this.registry.applyAcknowledged(deviceId, s);
    }
    for (const d of found) this.log.warn(d, 'node came back with a different state than last acknowledged; keeping what the node reports');
    this.log.info({ nodeId, differences: found.length }, 'node compared with the last acknowledged state');
    this.kept.push(...found);
    this.kept.splice(0, Math.max(0, this.kept.length - MAX_KEPT));
  }
}
