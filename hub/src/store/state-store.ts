import { StewardError, type State, type Value } from '@steward/device-adapters';
import type { Db } from './database.ts';

/** One change of what a device reported (`value`) or is heading to (`target`, null when cleared). */
export interface StateChange {
  deviceId: string;
  field: string;
  kind: 'value' | 'target';
  value: Value;
  at: number;
}

export interface StoredDeviceState {
  reported: State;
  targets: State;
}

const encode = (v: Value): string => JSON.stringify(v);
function decode(s: string, where: string): Value {
  try {
    return JSON.parse(s) as Value;
  } catch {
    throw new StewardError('INTERNAL', `the database holds invalid JSON in device_state ${where}`);
  }
}

/**
 * Last known value and pending target per device field, and a history row for every change. The registry decides
 * what changed; this only writes it, one transaction per batch.
 */
export class StateStore {
  private readonly q;
  private readonly writeBatch: (changes: readonly StateChange[]) => void;

  constructor(db: Db) {
    this.q = {
      setValue: db.prepare(
        `INSERT INTO device_state (device_id, field, value, target, updated_at) VALUES (?, ?, ?, NULL, ?)
         ON CONFLICT(device_id, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      setTarget: db.prepare(
        `INSERT INTO device_state (device_id, field, value, target, updated_at) VALUES (?, ?, NULL, ?, ?)
         ON CONFLICT(device_id, field) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at`,
      ),
      history: db.prepare(`INSERT INTO state_history (device_id, field, kind, value, at) VALUES (?, ?, ?, ?, ?)`),
      all: db.prepare(`SELECT device_id, field, value, target FROM device_state`),
      historyOf: db.prepare(
        `SELECT field, kind, value, at FROM state_history WHERE device_id = ? ORDER BY id DESC LIMIT ?`,
      ),
    };
    this.writeBatch = db.transaction((changes: readonly StateChange[]) => {
      for (const c of changes) {
        // a cleared target is SQL NULL; a null value (no app open) is JSON null
        const stored = c.kind === 'target' && c.value === null ? null : encode(c.value);
        if (c.kind === 'value') this.q.setValue.run(c.deviceId, c.field, stored, c.at);
        else this.q.setTarget.run(c.deviceId, c.field, stored, c.at);
        this.q.history.run(c.deviceId, c.field, c.kind, stored, c.at);
      }
    });
  }

  write(changes: readonly StateChange[]): void {
    if (changes.length > 0) this.writeBatch(changes);
  }

  loadAll(): Map<string, StoredDeviceState> {
    const out = new Map<string, StoredDeviceState>();
    type Row = { device_id: string; field: string; value: string | null; target: string | null };
    for (const r of this.q.all.all() as Row[]) {
      let entry = out.get(r.device_id);
      if (!entry) out.set(r.device_id, (entry = { reported: {}, targets: {} }));
      if (r.value !== null) entry.reported[r.field] = decode(r.value, `${r.device_id}.${r.field}`);
      if (r.target !== null) entry.targets[r.field] = decode(r.target, `${r.device_id}.${r.field}`);
    }
    return out;
  }

  /** Most recent changes of a device, newest first. */
  history(deviceId: string, limit = 100): { field: string; kind: 'value' | 'target'; value: Value; at: number }[] {
    type Row = { field: string; kind: 'value' | 'target'; value: string | null; at: number };
    return (this.q.historyOf.all(deviceId, limit) as Row[]).map((r) => ({
      field: r.field,
      kind: r.kind,
      value: r.value === null ? null : decode(r.value, `history ${deviceId}.${r.field}`),
      at: r.at,
    }));
  }
}
