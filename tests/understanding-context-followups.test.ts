import { describe, expect, it } from 'vitest';
import { commandEffect } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { home, parse } from './helpers/understanding.ts';

/**
 * Runs turns of one conversation against in-memory states, passing memory along and applying each turn's actions
 * (as the conversation layer would); returns the last turn's actions.
 */
function conversation(...turns: string[]) {
  const view = homeViewFromHome(home);
  const engine = createUnderstanding(view);
  let memory: unknown;
  let last: unknown[] = [];
  for (const text of turns) {
    const r = engine.parse(text, { memory });
    memory = r.memory;
    const actions = r.clauses.flatMap((c) => (c.kind === 'act' && !c.delayMs ? c.actions : []));
    for (const a of actions) {
      const d = home.devices.find((x) => x.id === a.deviceId)!;
      view.patch(a.deviceId, commandEffect(d, view.state(a.deviceId)!, a.command, a.params));
    }
    last = actions.map((a) => [a.deviceId, a.command, a.params]);
  }
  return last;
}

describe('follow-ups use what the conversation is about', () => {
  it('pronouns: it, them, 它', () => {
    expect(conversation('turn on the floor lamp', 'set it to 30 percent')).toEqual([['floor_lamp', 'setBrightness', { brightness: 30 }]]);
    expect(conversation('打开落地灯', '把它调到百分之三十')).toEqual([['floor_lamp', 'setBrightness', { brightness: 30 }]]);
    expect(conversation('switch on the kitchen light', 'turn it off')).toEqual([['kitchen_light', 'turnOff', {}]]);
    expect(conversation('open the living room curtains', 'close them again')).toEqual([['living_room_curtains', 'close', {}]]);
  });

  it('bare relative commands: "make it brighter", "brighter", "再亮一点", "再调高两度"', () => {
    expect(conversation('turn on the bedroom light', 'make it brighter')).toEqual([['bedroom_light', 'adjustBrightness', { delta: 20 }]]);
    expect(conversation('turn on the bedroom light', 'brighter')).toEqual([['bedroom_light', 'adjustBrightness', { delta: 20 }]]);
    expect(conversation('打开卧室灯', '再亮一点')).toEqual([['bedroom_light', 'adjustBrightness', { delta: 20 }]]);
    expect(conversation('打开卧室空调', '再调高两度')).toEqual([['bedroom_ac', 'adjustTargetTemperature', { delta: 2 }]]);
    expect(conversation('turn on the TV', 'turn up the volume')).toEqual([['living_room_tv', 'adjustVolume', { delta: 10 }]]);
    expect(conversation('打开电视', '声音大点')).toEqual([['living_room_tv', 'adjustVolume', { delta: 10 }]]);
  });

  it('a follow-up the remembered device cannot do goes to a device that can', () => {
    expect(conversation('turn on the TV', 'set the fridge to 5 degrees')).toEqual([['fridge', 'setFridgeTemperature', { celsius: 5 }]]);
    expect(conversation('打开电视', '冷冻室调到零下二十度')).toEqual([['fridge', 'setFreezerTemperature', { celsius: -20 }]]);
  });

  it('questions set the context too', () => {
    expect(conversation('is the kitchen light on?', 'turn it off')).toEqual([['kitchen_light', 'turnOff', {}]]);
  });

  it('a turn that names only another device borrows the last command: "and the floor lamp too", "落地灯也是"', () => {
    expect(conversation('set the living room light to 50%', 'and the floor lamp too')).toEqual([
      ['floor_lamp', 'turnOn', {}],
      ['floor_lamp', 'setBrightness', { brightness: 50 }],
    ]);
    expect(conversation('把客厅灯调到百分之五十', '落地灯也是')).toEqual([
      ['floor_lamp', 'turnOn', {}],
      ['floor_lamp', 'setBrightness', { brightness: 50 }],
    ]);
    // a command the turn says itself is not mixed with the last one
    expect(conversation('set the living room light to 50%', 'turn on the floor lamp')).toEqual([['floor_lamp', 'turnOn', {}]]);
  });

  it('memory from another source is ignored safely', () => {
    expect(parse('turn it off', { memory: 'garbage' }).clauses[0]!.kind).toBe('unknown');
    expect(parse('turn it off', { memory: { devices: [42, 'no_such_device'] } }).clauses[0]!.kind).toBe('unknown');
  });
});

describe('"both" means two', () => {
  it('with two devices offered it takes the two; with three it asks again', () => {
    const p = parse;
    const asked = p('turn up the volume');
    const q = asked.question as { kind: string; devices: string[] };
    expect(q.devices).toEqual(['living_room_tv', 'speaker', 'car_media']);
    const three = p('both', { question: q });
    expect(three.clauses.flatMap((c) => (c.kind === 'act' ? c.actions : []))).toEqual([]);
    expect((three.question as { devices: string[] }).devices).toEqual(['living_room_tv', 'speaker', 'car_media']);
    const two = p('both', { question: { ...q, devices: ['living_room_tv', 'speaker'] } });
    expect(two.clauses.flatMap((c) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command, a.params]) : []))).toEqual([
      ['living_room_tv', 'adjustVolume', { delta: 10 }],
      ['speaker', 'adjustVolume', { delta: 10 }],
    ]);
  });
});

describe('两个都, 两个都要, 俩都要: "both" in Chinese', () => {
  it('with two devices offered they take the two; with three they ask again; 都要 takes every one offered', () => {
    const asked = parse('声音调大');
    const q = asked.question as { kind: string; devices: string[] };
    expect(q.devices).toEqual(['living_room_tv', 'speaker', 'car_media']);
    const two = { ...q, devices: ['living_room_tv', 'speaker'] };
    const actions = (text: string, question: unknown) =>
      parse(text, { question }).clauses.flatMap((c) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command, a.params]) : []));
    for (const text of ['两个都', '两个都要', '俩都要', '两个一起', '两个都调大']) {
      expect(actions(text, two), text).toEqual([
        ['living_room_tv', 'adjustVolume', { delta: 10 }],
        ['speaker', 'adjustVolume', { delta: 10 }],
      ]);
      const three = parse(text, { question: q });
      expect(three.clauses.flatMap((c) => (c.kind === 'act' ? c.actions : [])), text).toEqual([]);
      expect((three.question as { devices: string[] }).devices, text).toEqual(['living_room_tv', 'speaker', 'car_media']);
      expect(three.clauses.map((c) => ('reply' in c ? c.reply : c.kind)), text).toEqual(['请问是哪一个：电视、音箱、车载音乐？']);
    }
    expect(actions('都要', two)).toEqual([
      ['living_room_tv', 'adjustVolume', { delta: 10 }],
      ['speaker', 'adjustVolume', { delta: 10 }],
    ]);
    expect(actions('都要', q).map((a) => a[0])).toEqual(['living_room_tv', 'speaker', 'car_media']);
  });

  it('两个 alone is not "both": 打开两个灯 counts lights, and with nine in the home asks which', () => {
    expect(parse('打开两个灯').clauses.map((c) => ('reply' in c ? c.reply : c.kind))).toEqual(['您说的是2个，但找到9个：客厅灯、落地灯、厨房灯、卧室灯、床头灯、儿童房灯、阳台灯、玄关灯、台灯。请问是哪几个？']);
  });
});
