import { z } from 'zod';
import {
  AreaSchema,
  ConfirmRuleSchema,
  DEVICE_TYPE_IDS,
  NamesSchema,
  NodeKindSchema,
  SceneSchema,
  StewardError,
  TRAIT_IDS,
  type Area,
  type Home,
  type Scene,
} from '@steward/device-adapters';
import type { Db } from './database.ts';

/** A device as the registry holds it: what the home file or a pairing declared, plus the owner's edits. */
export const DeviceRecordSchema = z.object({
  id: z.string(),
  type: z.enum(DEVICE_TYPE_IDS),
  nodeId: z.string(),
  area: z.string(),
  names: NamesSchema,
  traits: z.array(z.enum(TRAIT_IDS)),
  attributes: z.record(z.string(), z.unknown()),
  confirm: z.array(ConfirmRuleSchema),
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;

export const NodeRecordSchema = z.object({
  id: z.string(),
  kind: NodeKindSchema,
  names: NamesSchema,
  lastState: z.string().nullable(),
  lastSeenAt: z.number().nullable(),
});
export type NodeRecord = z.infer<typeof NodeRecordSchema>;

export interface SeedReport {
  areas: number;
  nodes: number;
  devices: number;
  scenes: number;
}

const json = (v: unknown) => JSON.stringify(v);
const parseJson = (s: string, what: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    throw new StewardError('INTERNAL', `the database holds invalid JSON in ${what}`);
  }
};

/** Areas, nodes, devices and scenes in SQLite. Every method is synchronous (better-sqlite3); writes are transactions. */
export class RegistryStore {
  private readonly q;

  constructor(private readonly db: Db) {
    // what the owner removed, so the home file does not bring it back at the next start; a pairing does
    db.exec(`CREATE TABLE IF NOT EXISTS removed_entries (
      kind TEXT NOT NULL CHECK (kind IN ('node', 'device')),
      id TEXT NOT NULL,
      removed_at INTEGER NOT NULL,
      PRIMARY KEY (kind, id)
    )`);
    this.q = {
      upsertArea: db.prepare(
        `INSERT INTO areas (id, names, sort, floor) VALUES (@id, @names, @sort, @floor)
         ON CONFLICT(id) DO UPDATE SET names = excluded.names, sort = excluded.sort, floor = excluded.floor`,
      ),
      upsertNode: db.prepare(
        `INSERT INTO nodes (id, kind, names, sort) VALUES (@id, @kind, @names, @sort)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, names = excluded.names, sort = excluded.sort`,
      ),
      // names and area stay as the owner edited them; what the device is (type, traits, node) follows its source
      upsertDevice: db.prepare(
        `INSERT INTO devices (id, node_id, area_id, type, names, traits, attributes, confirm, sort)
         VALUES (@id, @nodeId, @area, @type, @names, @traits, @attributes, @confirm, @sort)
         ON CONFLICT(id) DO UPDATE SET node_id = excluded.node_id, type = excluded.type, traits = excluded.traits,
           attributes = excluded.attributes, confirm = excluded.confirm, sort = excluded.sort,
           names = CASE WHEN devices.names_edited THEN devices.names ELSE excluded.names END,
           area_id = CASE WHEN devices.area_edited THEN devices.area_id ELSE excluded.area_id END`,
      ),
      upsertScene: db.prepare(
        `INSERT INTO scenes (id, names, states, sort) VALUES (@id, @names, @states, @sort)
         ON CONFLICT(id) DO UPDATE SET names = excluded.names, states = excluded.states, sort = excluded.sort`,
      ),
      areas: db.prepare(`SELECT id, names, floor FROM areas ORDER BY sort, id`),
      nodes: db.prepare(`SELECT id, kind, names, last_state, last_seen_at FROM nodes ORDER BY sort, id`),
      devices: db.prepare(`SELECT id, node_id, area_id, type, names, traits, attributes, confirm FROM devices ORDER BY sort, id`),
      scenes: db.prepare(`SELECT id, names, states FROM scenes ORDER BY sort, id`),
      rename: db.prepare(`UPDATE devices SET names = ?, names_edited = 1 WHERE id = ?`),
      move: db.prepare(`UPDATE devices SET area_id = ?, area_edited = 1 WHERE id = ?`),
      nodeSeen: db.prepare(`UPDATE nodes SET last_state = ?, last_seen_at = ? WHERE id = ?`),
      nextSort: db.prepare(`SELECT COALESCE(MAX(sort), -1) + 1 AS next FROM (SELECT sort FROM nodes UNION ALL SELECT sort FROM devices UNION ALL SELECT sort FROM areas)`),
      sortOf: db.prepare(`SELECT sort FROM nodes WHERE id = ?`),
      devicesOf: db.prepare(`SELECT id FROM devices WHERE node_id = ?`),
      // device_state and state_history go with the device (ON DELETE CASCADE)
      deleteDevice: db.prepare(`DELETE FROM devices WHERE id = ?`),
      deleteNode: db.prepare(`DELETE FROM nodes WHERE id = ?`),
      tombstone: db.prepare(`INSERT OR REPLACE INTO removed_entries (kind, id, removed_at) VALUES (?, ?, ?)`),
      unTombstone: db.prepare(`DELETE FROM removed_entries WHERE kind = ? AND id = ?`),
      removed: db.prepare(`SELECT kind, id FROM removed_entries`),
    };
  }

  /** Inserts what the home file has and the database lacks; keeps the owner's renames and area moves. */
  seedFromHome(home: Home): SeedReport {
    const removed = new Set((this.q.removed.all() as { kind: string; id: string }[]).map((r) => `${r.kind}:${r.id}`));
    this.db.transaction(() => {
      home.areas.forEach((a, sort) => this.q.upsertArea.run({ id: a.id, names: json(a.names), sort, floor: a.floor ?? null }));
      home.nodes.forEach((n, sort) => {
        if (!removed.has(`node:${n.id}`)) this.q.upsertNode.run({ id: n.id, kind: n.kind, names: json(n.names), sort });
      });
      home.devices.forEach((d, sort) => {
        if (!removed.has(`device:${d.id}`) && !removed.has(`node:${d.node}`)) this.q.upsertDevice.run(deviceRow(d, d.node, sort));
      });
      home.scenes.forEach((s, sort) => this.q.upsertScene.run({ id: s.id, names: json(s.names), states: json(s.states), sort }));
    })();
    return { areas: home.areas.length, nodes: home.nodes.length, devices: home.devices.length, scenes: home.scenes.length };
  }

  /**
   * A node that paired and the devices it declared, in one transaction: after the home file's entries in listings.
   * A node paired again keeps its place and the owner's renames and moves (the upsert keeps edited names and areas).
   * `newArea` is created first when the devices go to an area the home does not have yet.
   */
  addPairedNode(node: { id: string; kind: NodeRecord['kind']; names: Record<string, string[]> }, devices: Omit<DeviceRecord, 'nodeId'>[], newArea?: Area): void {
    this.db.transaction(() => {
      let next = (this.q.nextSort.get() as { next: number }).next;
      if (newArea) this.q.upsertArea.run({ id: newArea.id, names: json(newArea.names), sort: next++, floor: newArea.floor ?? null });
      const existing = this.q.sortOf.get(node.id) as { sort: number } | undefined;
      this.q.upsertNode.run({ id: node.id, kind: node.kind, names: json(node.names), sort: existing?.sort ?? next++ });
      this.q.unTombstone.run('node', node.id);
      for (const d of devices) {
        this.q.upsertDevice.run(deviceRow(d, node.id, next++));
        this.q.unTombstone.run('device', d.id);
      }
    })();
  }

  /** One device that joins a node already in the registry (an adopted one), after everything else in listings. */
  addDevice(nodeId: string, device: Omit<DeviceRecord, 'nodeId'>): void {
    this.db.transaction(() => {
      const next = (this.q.nextSort.get() as { next: number }).next;
      this.q.upsertDevice.run(deviceRow(device, nodeId, next));
      this.q.unTombstone.run('device', device.id);
    })();
  }

  areas(): Area[] {
    return (this.q.areas.all() as { id: string; names: string; floor: string | null }[]).map((r) =>
      AreaSchema.parse({ id: r.id, names: parseJson(r.names, `areas.${r.id}`), ...(r.floor ? { floor: r.floor } : {}) }),
    );
  }

  nodes(): NodeRecord[] {
    type Row = { id: string; kind: string; names: string; last_state: string | null; last_seen_at: number | null };
    return (this.q.nodes.all() as Row[]).map((r) =>
      NodeRecordSchema.parse({
        id: r.id,
        kind: r.kind,
        names: parseJson(r.names, `nodes.${r.id}`),
        lastState: r.last_state,
        lastSeenAt: r.last_seen_at,
      }),
    );
  }

  devices(): DeviceRecord[] {
    type Row = { id: string; node_id: string; area_id: string; type: string; names: string; traits: string; attributes: string; confirm: string };
    return (this.q.devices.all() as Row[]).map((r) =>
      DeviceRecordSchema.parse({
        id: r.id,
        type: r.type,
        nodeId: r.node_id,
        area: r.area_id,
        names: parseJson(r.names, `devices.${r.id}.names`),
        traits: parseJson(r.traits, `devices.${r.id}.traits`),
        attributes: parseJson(r.attributes, `devices.${r.id}.attributes`),
        confirm: parseJson(r.confirm, `devices.${r.id}.confirm`),
      }),
    );
  }

  scenes(): Scene[] {
    return (this.q.scenes.all() as { id: string; names: string; states: string }[]).map((r) =>
      SceneSchema.parse({ id: r.id, names: parseJson(r.names, `scenes.${r.id}`), states: parseJson(r.states, `scenes.${r.id}`) }),
    );
  }

  /** Renames and/or moves a device in one transaction; from then on a home file no longer overrides these. */
  editDevice(id: string, edit: { names?: Record<string, string[]>; area?: string }): void {
    this.db.transaction(() => {
      if (edit.names) this.q.rename.run(json(edit.names), id);
      if (edit.area) this.q.move.run(edit.area, id);
    })();
  }

  /** Deletes a node, its devices and their state and history in one transaction; returns the device ids removed. */
  removeNode(nodeId: string, at: number): string[] {
    return this.db.transaction(() => {
      const ids = (this.q.devicesOf.all(nodeId) as { id: string }[]).map((r) => r.id);
      for (const id of ids) {
        this.q.deleteDevice.run(id);
        this.q.tombstone.run('device', id, at);
      }
      this.q.deleteNode.run(nodeId);
      this.q.tombstone.run('node', nodeId, at);
      return ids;
    })();
  }

  /** Deletes one device with its state and history. */
  removeDevice(deviceId: string, at: number): void {
    this.db.transaction(() => {
      this.q.deleteDevice.run(deviceId);
      this.q.tombstone.run('device', deviceId, at);
    })();
  }

  recordNodeState(nodeId: string, homieState: string, at: number): void {
    this.q.nodeSeen.run(homieState, at, nodeId);
  }
}

/** A device as the upsert statement takes it: lists and maps as JSON. */
function deviceRow(
  d: Pick<DeviceRecord, 'id' | 'area' | 'type' | 'names' | 'traits' | 'attributes' | 'confirm'>,
  nodeId: string,
  sort: number,
) {
  return {
    id: d.id,
    nodeId,
    area: d.area,
    type: d.type,
    names: json(d.names),
    traits: json(d.traits),
    attributes: json(d.attributes),
    confirm: json(d.confirm),
    sort,
  };
}
