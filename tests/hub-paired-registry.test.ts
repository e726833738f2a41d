/**
 * registry.addPairedNode, what pairing's onNodePaired calls, on a real SQLite file: a paired node's declared devices
 * enter the registry under the node's id in their suggested area (or `unassigned`), with the confirmation rules a
 * home file gives locks and trunks; an id another node uses is a CONFLICT that changes nothing; pairing again keeps
 * the owner's edits; everything survives a reload from the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@steward/hub/store/database.ts';
import { RegistryStore } from '@steward/hub/store/registry-store.ts';
import { StateStore } from '@steward/hub/store/state-store.ts';
import { Registry, UNASSIGNED_AREA } from '@steward/hub/registry/registry.ts';
import type { PairedDevice, PairedNode } from '@steward/hub/pairing/devices.ts';
import { subsetHome } from './helpers/hub-home.ts';

const silent = pino({ level: 'silent' });
const node = (id: string, name = 'tv agent'): PairedNode => ({ id, name, kind: 'tv', publicKey: 'AAAA', source: '127.0.0.1', pairedAt: new Date().toISOString() });
const light = (id: string, area?: string): PairedDevice => ({
  id,
  type: 'light',
  names: { en: ['bedside light'] },
  traits: ['onOff', 'brightness'],
  attributes: {},
  ...(area ? { area } : {}),
});

let dir: string;
let db: Db;
let registry: Registry;
const open = () => new Registry(new RegistryStore(db), new StateStore(db), silent);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stw-paired-reg-'));
  db = openDatabase(dir);
  new RegistryStore(db).seedFromHome(subsetHome(['living-room-gateway']));
  registry = open();
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('registry.addPairedNode', () => {
  it('adds the node and its devices under its id, in the suggested area, with confirmation for locks and trunks', () => {
    const before = registry.version;
    const seen: number[] = [];
    const off = registry.changed.on((v) => seen.push(v));
    registry.addPairedNode(node('n-aaaaaaaaaaaaaaaa'), [
      light('light_aaaaaa', 'bedroom'),
      { id: 'lock_aaaaaa', type: 'lock', names: { en: ['side door'] }, traits: ['lock'], attributes: {}, area: 'hallway' },
      { id: 'trunk_aaaaaa', type: 'trunk', names: { en: ['trunk'] }, traits: ['position'], attributes: {}, area: 'car' },
    ]);
    off();
    expect(registry.version).toBeGreaterThan(before);
    expect(seen).toEqual([registry.version]);
    expect(registry.node('n-aaaaaaaaaaaaaaaa')).toMatchObject({ kind: 'tv', names: { en: ['tv agent'] }, online: false, devices: ['light_aaaaaa', 'lock_aaaaaa', 'trunk_aaaaaa'] });
    expect(registry.device('light_aaaaaa')).toMatchObject({ nodeId: 'n-aaaaaaaaaaaaaaaa', area: 'bedroom', confirm: [] });
    expect(registry.device('lock_aaaaaa')).toMatchObject({ area: 'hallway', confirm: ['unlock'] });
    expect(registry.device('trunk_aaaaaa')).toMatchObject({ area: 'car', confirm: ['open'] });
    // listed after the home file's nodes
    expect(registry.nodes().map((n) => n.id)).toEqual(['living-room-gateway', 'n-aaaaaaaaaaaaaaaa']);
  });

  it('puts devices without a known area in `unassigned`, created once; the owner moves them later', () => {
    registry.addPairedNode(node('n-bbbbbbbbbbbbbbbb'), [light('light_bbbbbb'), light('light_bbbbb2', 'moon_base')]);
    expect(registry.device('light_bbbbbb')!.area).toBe(UNASSIGNED_AREA.id);
    expect(registry.device('light_bbbbb2')!.area).toBe(UNASSIGNED_AREA.id);
    expect(registry.areas().filter((a) => a.id === UNASSIGNED_AREA.id)).toEqual([UNASSIGNED_AREA]);
    registry.addPairedNode(node('n-cccccccccccccccc'), [light('light_cccccc')]);
    expect(registry.areas().filter((a) => a.id === UNASSIGNED_AREA.id)).toHaveLength(1);
    expect(registry.editDevice('light_bbbbbb', { area: 'kitchen', names: { en: ['counter light'] } })).toMatchObject({ area: 'kitchen' });
  });

  it('refuses a device id another node uses (CONFLICT) and changes nothing', () => {
    const version = registry.version;
    expect(() => registry.addPairedNode(node('n-dddddddddddddddd'), [light('light_dddddd'), light('living_room_light')])).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/living_room_light.*living-room-gateway/) }),
    );
    expect(registry.version).toBe(version);
    expect(registry.hasNode('n-dddddddddddddddd')).toBe(false);
    expect(registry.device('light_dddddd')).toBeUndefined();
    expect(registry.device('living_room_light')!.nodeId).toBe('living-room-gateway');
  });

  it('pairing the same node again updates it and keeps the owner edits; all of it is in SQLite', () => {
    registry.addPairedNode(node('n-bbbbbbbbbbbbbbbb', 'renamed agent'), [light('light_bbbbbb', 'study')]);
    expect(registry.node('n-bbbbbbbbbbbbbbbb')!.names.en).toEqual(['renamed agent']);
    // the owner moved and renamed it: a new pairing does not undo that
    expect(registry.device('light_bbbbbb')).toMatchObject({ area: 'kitchen', names: { en: ['counter light'] } });
    const reloaded = open();
    expect(reloaded.device('light_bbbbbb')).toMatchObject({ nodeId: 'n-bbbbbbbbbbbbbbbb', area: 'kitchen', names: { en: ['counter light'] } });
    expect(reloaded.device('lock_aaaaaa')!.confirm).toEqual(['unlock']);
    expect(reloaded.nodes().map((n) => n.id)).toEqual(['living-room-gateway', 'n-aaaaaaaaaaaaaaaa', 'n-bbbbbbbbbbbbbbbb', 'n-cccccccccccccccc']);
  });
});

describe('names and areas declared at pairing; removal', () => {
  it('takes an area by id or by any of its names, in English or Chinese; a Chinese node name is kept as zh', () => {
    registry.addPairedNode(node('n-eeeeeeeeeeeeeeee', '卧室网关'), [
      { ...light('light_eeeee1', 'Bedroom'), names: { en: ['Bedroom lamp'] } },
      { ...light('light_eeeee2', '书房'), names: { zh: ['书房台灯'] } },
      { ...light('light_eeeee3', 'master bedroom') },
    ]);
    expect(registry.node('n-eeeeeeeeeeeeeeee')!.names).toEqual({ zh: ['卧室网关'] });
    expect(registry.device('light_eeeee1')).toMatchObject({ area: 'bedroom', names: { en: ['Bedroom lamp'] } });
    expect(registry.device('light_eeeee2')).toMatchObject({ area: 'study', names: { zh: ['书房台灯'] } });
    expect(registry.device('light_eeeee3')!.area).toBe('bedroom');
  });

  it('removes a device, then a node with its devices and their state; the home file does not bring them back; pairing again does', () => {
    registry.applyAcknowledged('light_eeeee1', { state: { on: true, brightness: 40 }, targets: {} });
    const version = registry.version;
    expect(registry.removeDevice('light_eeeee2')).toEqual({ deviceId: 'light_eeeee2', nodeId: 'n-eeeeeeeeeeeeeeee' });
    expect(registry.node('n-eeeeeeeeeeeeeeee')!.devices).toEqual(['light_eeeee1', 'light_eeeee3']);
    expect(registry.removeNode('n-eeeeeeeeeeeeeeee')).toEqual({ nodeId: 'n-eeeeeeeeeeeeeeee', devices: ['light_eeeee1', 'light_eeeee3'] });
    expect(registry.version).toBeGreaterThan(version);
    expect(registry.hasNode('n-eeeeeeeeeeeeeeee')).toBe(false);
    expect(registry.state('light_eeeee1')).toBeUndefined();
    expect(() => registry.removeNode('n-eeeeeeeeeeeeeeee')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => registry.removeDevice('light_eeeee2')).toThrow(expect.objectContaining({ code: 'UNKNOWN_DEVICE' }));
    expect(db.prepare(`SELECT COUNT(*) AS n FROM device_state WHERE device_id LIKE 'light_eeeee%'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM state_history WHERE device_id LIKE 'light_eeeee%'`).get()).toEqual({ n: 0 });

    // a home-file node removed stays removed when the hub seeds from the home file again at the next start
    registry.removeNode('living-room-gateway');
    registry.removeDevice('lock_aaaaaa');
    new RegistryStore(db).seedFromHome(subsetHome(['living-room-gateway']));
    const restarted = open();
    expect(restarted.hasNode('living-room-gateway')).toBe(false);
    expect(restarted.device('living_room_light')).toBeUndefined();
    expect(restarted.device('lock_aaaaaa')).toBeUndefined();
    // a node that pairs again comes back with what it declares
    restarted.addPairedNode(node('n-eeeeeeeeeeeeeeee'), [light('light_eeeee1')]);
    expect(open().device('light_eeeee1')).toMatchObject({ nodeId: 'n-eeeeeeeeeeeeeeee' });
  });
});
