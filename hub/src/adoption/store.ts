import { z } from 'zod';
import { DEVICE_TYPE_IDS, NamesSchema, StateSchema, StewardError, TRAIT_IDS } from '@steward/device-adapters';
import type { Db } from '../store/database.ts';

export const ADOPTION_STATUSES = ['pending', 'adopted', 'ignored', 'removing'] as const;
export type AdoptionStatus = (typeof ADOPTION_STATUSES)[number];

/** what the node said the device is (no id: the owner's adoption gives it one) */
export const FoundDescriptorSchema = z.object({
  type: z.enum(DEVICE_TYPE_IDS),
  names: NamesSchema,
  traits: z.array(z.enum(TRAIT_IDS)),
  attributes: z.record(z.string(), z.unknown()),
});

/**
 * One device a node found, as the hub keeps it: `pending` until the owner adopts or ignores it; `adopted` with the
 * device id it got; `ignored` (not listed again while the node keeps finding it); `removing` while the node has not
 * yet confirmed it forgot a device the owner removed.
 */
export const AdoptionRecordSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  ecosystem: z.string(),
  key: z.string(),
  descriptor: FoundDescriptorSchema,
  label: z.string(),
  state: StateSchema,
  status: z.enum(ADOPTION_STATUSES),
  deviceId: z.string().nullable(),
  foundAt: z.number(),
  updatedAt: z.number(),
});
export type AdoptionRecord = z.infer<typeof AdoptionRecordSchema>;

type Row = {
  id: string;
  node_id: string;
  ecosystem: string;
  key: string;
  descriptor: string;
  label: string;
  state: string;
  status: string;
  device_id: string | null;
  found_at: number;
  updated_at: number;
};

function fromRow(r: Row): AdoptionRecord {
  let descriptor: unknown;
  let state: unknown;
  try {
    descriptor = JSON.parse(r.descriptor);
    state = JSON.parse(r.state);
  } catch {
    throw new StewardError('INTERNAL', `the database holds invalid JSON in adoptions.${r.id}`);
  }
  return AdoptionRecordSchema.parse({
    id: r.id,
    nodeId: r.node_id,
    ecosystem: r.ecosystem,
    key: r.key,
    descriptor,
    label: r.label,
    state,
    status: r.status,
    deviceId: r.device_id,
    foundAt: r.found_at,
    updatedAt: r.updated_at,
  });
}

/** The adoption records in SQLite (migration 4). Synchronous, like the other stores (better-sqlite3). */
export class AdoptionStore {
  private readonly q;

  constructor(db: Db) {
    const cols = 'id, node_id, ecosystem, key, descriptor, label, state, status, device_id, found_at, updated_at';
    this.q = {
      all: db.prepare(`SELECT ${cols} FROM adoptions ORDER BY found_at, id`),
      byStatus: db.prepare(`SELECT ${cols} FROM adoptions WHERE status = ? ORDER BY found_at, id`),
      byNode: db.prepare(`SELECT ${cols} FROM adoptions WHERE node_id = ? ORDER BY found_at, id`),
      get: db.prepare(`SELECT ${cols} FROM adoptions WHERE id = ?`),
      byKey: db.prepare(`SELECT ${cols} FROM adoptions WHERE node_id = ? AND ecosystem = ? AND key = ?`),
      byDevice: db.prepare(`SELECT ${cols} FROM adoptions WHERE device_id = ?`),
      insert: db.prepare(
        `INSERT INTO adoptions (${cols}) VALUES (@id, @nodeId, @ecosystem, @key, @descriptor, @label, @state, @status, @deviceId, @foundAt, @updatedAt)`,
      ),
      refresh: db.prepare(`UPDATE adoptions SET descriptor = ?, label = ?, state = ?, updated_at = ? WHERE id = ?`),
      setStatus: db.prepare(`UPDATE adoptions SET status = ?, device_id = ?, updated_at = ? WHERE id = ?`),
      delete: db.prepare(`DELETE FROM adoptions WHERE id = ?`),
      deleteNode: db.prepare(`DELETE FROM adoptions WHERE node_id = ?`),
    };
  }

  list(status?: AdoptionStatus): AdoptionRecord[] {
    return ((status ? this.q.byStatus.all(status) : this.q.all.all()) as Row[]).map(fromRow);
  }

  ofNode(nodeId: string): AdoptionRecord[] {
    return (this.q.byNode.all(nodeId) as Row[]).map(fromRow);
  }

  get(id: string): AdoptionRecord | undefined {
    const r = this.q.get.get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  byKey(nodeId: string, ecosystem: string, key: string): AdoptionRecord | undefined {
    const r = this.q.byKey.get(nodeId, ecosystem, key) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  byDevice(deviceId: string): AdoptionRecord | undefined {
    const r = this.q.byDevice.get(deviceId) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  insert(r: AdoptionRecord): void {
    this.q.insert.run({ ...r, descriptor: JSON.stringify(r.descriptor), state: JSON.stringify(r.state) });
  }

  /** what the node says now about a device it still finds */
  refresh(id: string, r: Pick<AdoptionRecord, 'descriptor' | 'label' | 'state'>, at: number): void {
    this.q.refresh.run(JSON.stringify(r.descriptor), r.label, JSON.stringify(r.state), at, id);
  }

  setStatus(id: string, status: AdoptionStatus, deviceId: string | null, at: number): void {
    this.q.setStatus.run(status, deviceId, at, id);
  }

  delete(id: string): void {
    this.q.delete.run(id);
  }

  deleteNode(nodeId: string): void {
    this.q.deleteNode.run(nodeId);
  }
}
