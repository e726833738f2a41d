import type { State } from '@steward/device-adapters';

/** the fields the load sets; a device's other fields (sensors, countdowns, motion) are the simulator's own */
export const TRACKED_FIELDS = ['on', 'brightness', 'targetC', 'volume'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

interface FieldRecord {
  /** the value in the last state a node acknowledged */
  acked: unknown;
  /** values of commands sent after that acknowledgement and never acknowledged: the device may hold any of them */
  unconfirmed: unknown[];
}

export interface LostField {
  deviceId: string;
  field: string;
  acknowledged: unknown;
  unconfirmed: unknown[];
  after: unknown;
}

/**
 * What the nodes acknowledged, per device field, and which devices have a command in flight (one at a time per
 * device, whoever sends it: the last acknowledged value is then well defined). A field is lost when its state
 * after recovery is neither its last acknowledged value nor the value of a later command that got no answer (it
 * may have run before the fault cut its answer off).
 */
export class Ledger {
  private readonly fields = new Map<string, Map<string, FieldRecord>>();
  private readonly busy = new Set<string>();

  /** takes the device if no command is in flight on it */
  tryTake(deviceId: string): boolean {
    if (this.busy.has(deviceId)) return false;
    this.busy.add(deviceId);
    return true;
  }

  /** waits (bounded) until the device is free, then takes it */
  async take(deviceId: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tryTake(deviceId)) {
      if (Date.now() > deadline) throw new Error(`${deviceId} stayed busy for ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  isBusy(deviceId: string): boolean {
    return this.busy.has(deviceId);
  }

  release(deviceId: string): void {
    this.busy.delete(deviceId);
  }

  get inFlight(): number {
    return this.busy.size;
  }

  private record(deviceId: string, field: string): FieldRecord {
    let device = this.fields.get(deviceId);
    if (!device) this.fields.set(deviceId, (device = new Map()));
    let r = device.get(field);
    if (!r) device.set(field, (r = { acked: undefined, unconfirmed: [] }));
    return r;
  }

  /** a command that would set `field` to `value` is about to be sent */
  sending(deviceId: string, field: TrackedField, value: unknown): void {
    this.record(deviceId, field).unconfirmed.push(value);
  }

  /** a node acknowledged the device's whole state: every tracked field of it is now known */
  acknowledged(deviceId: string, state: State): void {
    for (const field of TRACKED_FIELDS) {
      if (!(field in state)) continue;
      const r = this.record(deviceId, field);
      r.acked = state[field];
      r.unconfirmed = [];
    }
  }

  /** fields whose state now (each device's effective state, by id) is not one the commands allow */
  lost(states: Record<string, State>): LostField[] {
    const out: LostField[] = [];
    for (const [deviceId, fields] of this.fields) {
      for (const [field, r] of fields) {
        if (r.acked === undefined) continue; // never acknowledged: nothing to lose
        const after = states[deviceId]?.[field];
        if (after === r.acked || r.unconfirmed.includes(after)) continue;
        out.push({ deviceId, field, acknowledged: r.acked, unconfirmed: [...r.unconfirmed], after });
      }
    }
    return out;
  }

  /** the last acknowledged value of a field (undefined before any) */
  value(deviceId: string, field: TrackedField): unknown {
    return this.fields.get(deviceId)?.get(field)?.acked;
  }

  /** after a check: the devices hold what they hold, so nothing unconfirmed stays open */
  settle(states: Record<string, State>): void {
    for (const [deviceId, state] of Object.entries(states)) this.acknowledged(deviceId, state);
  }
}
