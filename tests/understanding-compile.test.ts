import { describe, expect, it } from 'vitest';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import type { HomeView } from '@steward/hub/understanding/contract.ts';
import { home, parse, acts } from './helpers/understanding.ts';

describe('the matcher follows the registry', () => {
  it('is rebuilt when the view version changes: new names are understood, old ones forgotten', () => {
    let version = 1;
    let devices = home.devices;
    const base = homeViewFromHome(home);
    const view: HomeView = {
      get version() {
        return version;
      },
      areas: () => home.areas,
      devices: () => devices,
      scenes: () => home.scenes,
      state: (id) => base.state(id),
    };
    const engine = createUnderstanding(view);
    expect(engine.parse('turn on the reading lamp', {}).clauses[0]!.kind).toBe('unknown');
    devices = home.devices.map((d) => (d.id === 'floor_lamp' ? { ...d, names: { en: ['reading lamp'], zh: ['阅读灯'] } } : d));
    version = 2;
    const on = engine.parse('turn on the reading lamp', {}).clauses[0]!;
    expect(on.kind === 'act' && on.actions).toEqual([{ deviceId: 'floor_lamp', command: 'turnOn', params: {} }]);
    expect(engine.parse('打开阅读灯', {}).clauses[0]!.kind).toBe('act');
    expect(engine.parse('turn on the floor lamp', {}).clauses[0]!.kind).toBe('unknown');
  });

  it('device, area and scene names come from the registry, in any of its languages', () => {
    expect(acts('打开 floor lamp')).toEqual([['floor_lamp', 'turnOn', {}]]);
    expect(acts('turn on the 落地灯')).toEqual([['floor_lamp', 'turnOn', {}]]);
  });
});
