/**
 * The demo home that ships in the repository (`npm start`'s default): valid under the home schema, with what a new
 * user expects to try (lights, one of them off, climate, covers, media, appliances, a lock and a car trunk that wait
 * for confirmation), every device named in English and Chinese, and understood in both languages.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHome } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import type { Clause } from '@steward/hub/understanding/contract.ts';

const home = loadHome(resolve(import.meta.dirname, '..', 'hub', 'src', 'demo', 'demo-home.json'));
const u = createUnderstanding(homeViewFromHome(home));
const acts = (text: string) =>
  u.parse(text, {}).clauses.flatMap((c: Clause) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command, a.params]) : []));

describe('the demo home', () => {
  it('has a few nodes and the kinds of devices a new user tries, each named in English and Chinese', () => {
    expect(home.nodes.map((n) => n.id)).toEqual(['house-gateway', 'lounge-tv', 'kitchen-appliances', 'bedroom-gateway', 'car-unit']);
    const types = new Set<string>(home.devices.map((d) => d.type));
    for (const t of ['light', 'air_conditioner', 'heater', 'curtain', 'tv', 'speaker', 'fridge', 'dishwasher', 'vacuum', 'lock', 'trunk', 'seat_heater', 'ev_battery']) {
      expect(types.has(t), t).toBe(true);
    }
    expect(home.devices.filter((d) => d.type === 'light' && d.state.on === false).map((d) => d.id)).toEqual(['living_room_light', 'porch_light', 'bedroom_light', 'desk_lamp']);
    for (const d of home.devices) {
      expect(d.names.en?.length, `${d.id} en`).toBeGreaterThan(0);
      expect(d.names.zh?.length, `${d.id} zh`).toBeGreaterThan(0);
    }
    expect(home.devices.filter((d) => d.confirm.length > 0).map((d) => [d.id, d.confirm])).toEqual([
      ['front_door', ['unlock']],
      ['car_doors', ['unlock']],
      ['car_boot', ['open']],
    ]);
  });

  it('is understood in English and Chinese', () => {
    expect(acts('turn on the porch light')).toEqual([['porch_light', 'turnOn', {}]]);
    expect(acts('打开门廊灯')).toEqual([['porch_light', 'turnOn', {}]]);
    expect(acts('把空调调到二十四度')).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_ac', 'setTargetTemperature', { celsius: 24 }],
    ]);
    expect(acts('close the blinds')).toEqual([['living_room_blinds', 'close', {}]]);
    expect(acts('打开回音壁')).toEqual([['soundbar', 'turnOn', {}]]);
    expect(acts('座椅加热调到二档')).toEqual([['car_seat_heating', 'setLevel', { level: 2 }]]);
    expect(acts('open the boot')).toEqual([['car_boot', 'open', {}]]);
    expect(acts('锁车')).toEqual([['car_doors', 'lock', {}]]);
    expect(acts('start the robot vacuum')).toEqual([['kitchen_robot', 'startCleaning', {}]]);
    expect(acts('movie night').map(([id]) => id)).toEqual(['living_room_light', 'living_room_light', 'reading_lamp', 'living_room_blinds', 'lounge_tv', 'soundbar']);
  });
});
