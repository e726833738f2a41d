/**
 * The planner's catalog and tools, built from the device model: what the model is shown for the benchmark home and
 * for a generated 3,000-device home (retrieval narrowing), and that every rule-path action maps to a tool call the
 * planner's own tools accept as the same action (what rule-path trajectories record).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '@steward/hub/planner/catalog.ts';
import { buildToolset, toolCallForAction } from '@steward/hub/planner/tools.ts';
import { looksOpenEnded } from '@steward/hub/planner/open-ended.ts';
import { homeViewFromHome } from '@steward/hub/understanding/static-view.ts';
import { generateHome } from '@steward/hub/bench/generated-home.ts';
import { BENCHMARK_HOME } from './helpers/agents.ts';
import { home, parse } from './helpers/understanding.ts';

const view = homeViewFromHome(home);

type Catalog = { areas: Record<string, { name: string; devices?: [string, string, string, Record<string, unknown>][] }>; scenes?: Record<string, string>; home?: { devices: number; byKind: Record<string, number> } };

describe('planner catalog', () => {
  it('the benchmark home: every device once, under its area, with its name in the request language and its key state', () => {
    const c = buildCatalog(view, view.devices(), { text: 'we are going out', lang: 'en' });
    expect(c.narrowed).toBe(false);
    expect(c.groupTypes).toEqual([]);
    const json = JSON.parse(c.json) as Catalog;
    const rows = Object.values(json.areas).flatMap((a) => a.devices ?? []);
    expect(rows.map((r) => r[0]).sort()).toEqual(home.devices.map((d) => d.id).sort());
    expect(json.areas.living_room!.devices).toContainEqual(['living_room_ac', 'air conditioner', 'air_conditioner', { on: false, mode: 'auto', targetC: 26, ambientC: 29, fanSpeed: 'auto' }]);
    // read-only fields too: a plan for the car needs the battery level
    expect(json.areas.car!.devices).toContainEqual(['car_battery', 'car battery', 'ev_battery', { charging: false, batteryPct: 62, chargeLimitPct: 80 }]);
    expect(json.scenes).toEqual({ good_night: 'good night', movie: 'movie mode', leave_home: expect.any(String) });
    const zh = JSON.parse(buildCatalog(view, view.devices(), { text: '出门', lang: 'zh' }).json) as Catalog;
    expect(zh.areas.living_room!.name).toBe('客厅');
  });

  it('a 3000-device home: retrieval lists the request\'s areas and kinds, counts the rest, and offers group targets', () => {
    const big = homeViewFromHome(generateHome(3000));
    expect(big.devices()).toHaveLength(3000);
    const c = buildCatalog(big, big.devices(), { text: 'the kids are asleep, keep it quiet downstairs', lang: 'en' });
    expect(c.narrowed).toBe(true);
    expect(c.devices.length).toBeGreaterThan(10);
    expect(c.devices.length).toBeLessThanOrEqual(60);
    expect(c.devices.every((d) => d.area.startsWith('down_'))).toBe(true);
    expect(new Set(c.devices.map((d) => d.type))).toEqual(new Set(['speaker', 'tv', 'light', 'fan'].filter((t) => c.devices.some((d) => d.type === t))));
    const json = JSON.parse(c.json) as Catalog;
    expect(Object.values(json.home!.byKind).reduce((s, n) => s + n, 0)).toBe(3000);
    expect(c.groupTypes).toContain('light');
    const tools = buildToolset(c.devices, c.scenes, { types: c.groupTypes, devices: big.devices() });
    const turnOff = tools.specs.find((t) => t.function.name === 'turn_off')!;
    expect(JSON.stringify(turnOff.function.parameters)).toContain('"group"');
    const parsed = tools.parse({ id: '1', type: 'function', function: { name: 'turn_off', arguments: JSON.stringify({ group: { type: 'light', area: 'down_living_room' } }) } });
    expect(parsed).toEqual({ ok: true, call: { kind: 'act', command: 'turnOff', targets: { group: { type: 'light', area: 'down_living_room' } }, params: {} } });
    const both = tools.parse({ id: '2', type: 'function', function: { name: 'turn_off', arguments: JSON.stringify({ group: { type: 'light' }, device_ids: [c.devices.find((d) => d.traits.includes('onOff'))!.id] }) } });
    expect(both).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'invalid arguments for turn_off: arguments: give device_ids or group (one of them)' } });
  });

  it('a whole-home request in a big home lists no device but every kind stays reachable', () => {
    const big = homeViewFromHome(generateHome(3000));
    const c = buildCatalog(big, big.devices(), { text: 'turn off everything in the house', lang: 'en' });
    const tools = buildToolset(c.devices, c.scenes, { types: c.groupTypes, devices: big.devices() });
    const names = tools.specs.map((t) => t.function.name);
    expect(names).toEqual(expect.arrayContaining(['turn_off', 'set_position', 'lock', 'set_target_temperature', 'get_state']));
    expect(tools.parse({ id: '1', type: 'function', function: { name: 'set_position', arguments: '{"group":{"type":"curtain"},"position":0}' } })).toMatchObject({ ok: true });
  });
});

describe('tool calls for rule-path actions', () => {
  it('every action the rules make for the public command cases maps to a tool call the planner tools accept as the same action', () => {
    const tools = buildToolset(view.devices(), view.scenes());
    const cases = readFileSync(BENCHMARK_HOME.replace('home.json', 'public.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { turns: { text: string }[] });
    let checked = 0;
    for (const c of cases) {
      for (const turn of c.turns) {
        for (const clause of parse(turn.text).clauses) {
          if (clause.kind !== 'act') continue;
          for (const action of clause.actions) {
            const call = toolCallForAction(action);
            const parsed = tools.parse({ id: 'x', type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } });
            expect(parsed, `${turn.text}: ${JSON.stringify(call)}`).toEqual({ ok: true, call: { kind: 'act', command: action.command, targets: { deviceIds: [action.deviceId] }, params: action.params } });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('names are the commands in snake case with device_ids and the parameters', () => {
    expect(toolCallForAction({ deviceId: 'living_room_ac', command: 'setTargetTemperature', params: { celsius: 24 } })).toEqual({
      name: 'set_target_temperature',
      arguments: { device_ids: ['living_room_ac'], celsius: 24 },
    });
    expect(toolCallForAction({ deviceId: 'front_door_lock', command: 'unlock', params: {} })).toEqual({ name: 'unlock', arguments: { device_ids: ['front_door_lock'] } });
  });
});

describe('open-ended requests', () => {
  it('situations and goals are open-ended; plain commands are not', () => {
    for (const t of ["I'm cold and want to watch a film", 'get the car ready, I leave in ten minutes', "we're going out", 'the kids are asleep, keep it quiet downstairs', '我有点冷，想看电影', '我们出门了']) {
      expect(looksOpenEnded(t), t).toBe(true);
    }
    for (const t of ['turn on the living room light', 'set the bedroom AC to 24', '把空调调到二十四度', 'open the curtains', 'is the front door locked?']) {
      expect(looksOpenEnded(t), t).toBe(false);
    }
  });
});
