/**
 * The hub's SQLite store on a real file: schema migrations, seeding from a home file without overwriting the owner's
 * edits, last known state and pending targets, and a history row for every change.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openDatabase } from '@steward/hub/store/database.ts';
import { RegistryStore } from '@steward/hub/store/registry-store.ts';
import { StateStore } from '@steward/hub/store/state-store.ts';
import { Registry } from '@steward/hub/registry/registry.ts';
import { benchmarkHome } from './helpers/agents.ts';

const logger = pino({ level: 'silent' });
const open = (dir: string) => {
  const db = openDatabase(dir);
  const registryStore = new RegistryStore(db);
  const stateStore = new StateStore(db);
  return { db, registryStore, stateStore };
};

describe('hub store', () => {
  it('creates steward.db in WAL mode with foreign keys, and migrates once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-store-'));
    const { db } = open(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const version = db.pragma('user_version', { simple: true });
    expect(version).toBeGreaterThanOrEqual(1);
    db.close();
    const again = open(dir).db;
    expect(again.pragma('user_version', { simple: true })).toBe(version);
    again.close();
  });

  it('keeps the floor an area is on across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-store-'));
    const base = benchmarkHome();
    const home = {
      ...base,
      areas: [...base.areas.map((a) => (a.id === 'bedroom' || a.id === 'study' ? { ...a, floor: 'upstairs' } : a)), { id: 'upstairs', names: { en: ['upstairs'], zh: ['楼上'] } }],
    };
    const first = open(dir);
    first.registryStore.seedFromHome(home);
    first.db.close();
    const again = open(dir);
    const areas = again.registryStore.areas();
    expect(areas.filter((a) => a.floor).map((a) => [a.id, a.floor])).toEqual([['bedroom', 'upstairs'], ['study', 'upstairs']]);
    expect(areas.find((a) => a.id === 'upstairs')).toEqual({ id: 'upstairs', names: { en: ['upstairs'], zh: ['楼上'] } });
    again.db.close();
  });

  it('seeds from the home file, keeps renames and moves made later, and follows the file for the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-store-'));
    const home = benchmarkHome();
    const { db, registryStore } = open(dir);
    expect(registryStore.seedFromHome(home)).toEqual({ areas: 9, nodes: 9, devices: 34, scenes: 3 });
    const registry = new Registry(registryStore, new StateStore(db), logger);
    const v = registry.version;
    registry.editDevice('floor_lamp', { names: { en: ['reading lamp'] }, area: 'study' });
    expect(registry.version).toBeGreaterThan(v);
    expect(() => registry.editDevice('floor_lamp', { area: 'attic' })).toThrow(/attic/);

    // the home file again, with a change of its own to the same device
    const changed = { ...home, devices: home.devices.map((d) => (d.id === 'floor_lamp' ? { ...d, attributes: { note: 'new' } } : d)) };
    registryStore.seedFromHome(changed);
    const lamp = registryStore.devices().find((d) => d.id === 'floor_lamp')!;
    expect(lamp).toMatchObject({ area: 'study', names: { en: ['reading lamp'], zh: ['落地灯'] }, attributes: { note: 'new' } });
    expect(registryStore.devices().find((d) => d.id === 'bedside_lamp')!.area).toBe('bedroom');
    db.close();
  });

  it('keeps last values and pending targets across a reopen, with one history row per change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-store-'));
    const { db, registryStore, stateStore } = open(dir);
    registryStore.seedFromHome(benchmarkHome());
    const registry = new Registry(registryStore, stateStore, logger);
    expect(registry.state('living_room_curtains')).toBeUndefined();
    registry.reportValue('living_room_curtains', 'position', 0);
    registry.reportTarget('living_room_curtains', 'position', 70);
    registry.reportValue('living_room_curtains', 'position', 20);
    registry.reportValue('living_room_curtains', 'position', 20); // no change: no history row
    registry.reportValue('living_room_tv', 'app', null);
    expect(registry.state('living_room_curtains')).toEqual({ position: 70 });
    expect(registry.reported('living_room_curtains')).toEqual({ position: 20 });
    expect(stateStore.history('living_room_curtains').map((h) => [h.kind, h.value])).toEqual([
      ['value', 20],
      ['target', 70],
      ['value', 0],
    ]);
    db.close();

    const reopened = open(dir);
    const again = new Registry(reopened.registryStore, reopened.stateStore, logger);
    expect(again.state('living_room_curtains')).toEqual({ position: 70 });
    expect(again.targets('living_room_curtains')).toEqual({ position: 70 });
    expect(again.state('living_room_tv')).toEqual({ app: null });
    // an acknowledgement lists every pending target: one it no longer lists has arrived
    again.applyAcknowledged('living_room_curtains', { state: { position: 70 }, targets: {} });
    expect(again.targets('living_room_curtains')).toEqual({});
    expect(again.state('living_room_curtains')).toEqual({ position: 70 });
    // presence is never read from the file: everything starts offline
    expect(again.nodes().every((n) => !n.online)).toBe(true);
    reopened.db.close();
  });
});
