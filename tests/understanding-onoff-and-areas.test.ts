import { describe, expect, it } from 'vitest';
import { home, parse, acts, reply } from './helpers/understanding.ts';

describe('on and off (HassTurnOn / HassTurnOff)', () => {
  it.each([
    ['turn on the living room light', 'living_room_light', 'turnOn'],
    ['switch off the kitchen light', 'kitchen_light', 'turnOff'],
    ['turn the desk lamp on', 'study_desk_lamp', 'turnOn'],
    ['kitchen light off', 'kitchen_light', 'turnOff'],
    ['打开客厅灯', 'living_room_light', 'turnOn'],
    ['关掉厨房的灯', 'kitchen_light', 'turnOff'],
    ['把热水器关了', 'water_heater', 'turnOff'],
    ['换气扇打开', 'bathroom_fan', 'turnOn'],
  ])('%s', (text, deviceId, command) => {
    expect(acts(text)).toEqual([[deviceId, command, {}]]);
  });

  it('replies with the device and its new state, in the language of the command', () => {
    expect(reply('turn on the living room light')).toBe('Living room light on.');
    expect(reply('打开客厅灯')).toBe('客厅灯已打开。');
  });
});

describe('all devices and areas', () => {
  it('"all the lights" / "所有的灯" covers every light that is not already so', () => {
    for (const text of ['turn off all the lights', '关闭所有的灯', 'switch off every light', '把灯全关了']) {
      expect(acts(text)).toEqual([
        ['kitchen_light', 'turnOff', {}],
        ['bedside_lamp', 'turnOff', {}],
      ]);
    }
    const allOn = acts('turn on all the lights').map((a) => a[0]);
    expect(allOn).toHaveLength(home.devices.filter((d) => d.type === 'light').length - 2);
  });

  it('"everything in the kitchen" covers the devices of the kitchen that it changes', () => {
    expect(acts('turn off everything in the kitchen')).toEqual([['kitchen_light', 'turnOff', {}]]);
    expect(acts('turn on everything in the kitchen')).toEqual([['range_hood', 'turnOn', {}]]);
    expect(acts('turn on the kitchen', {})).toEqual([['kitchen_light', 'turnOn', {}]]);
  });

  it('"turn on the light" uses the area the command came from', () => {
    expect(acts('turn on the light', { area: 'study' })).toEqual([['study_desk_lamp', 'turnOn', {}]]);
    expect(acts('开灯', { area: 'study' })).toEqual([['study_desk_lamp', 'turnOn', {}]]);
  });

  it('"turn off the light" where the main light is already off turns off the one that is on', () => {
    expect(acts('关灯', { area: 'bedroom' })).toEqual([['bedside_lamp', 'turnOff', {}]]);
    expect(acts('turn off the light', { area: 'bedroom' })).toEqual([['bedside_lamp', 'turnOff', {}]]);
    expect(acts('turn on the light', { area: 'bedroom' })).toEqual([['bedroom_light', 'turnOn', {}]]);
  });

  it('"it\'s dark in here" turns on a light that only switches; "play in the car" is for the car stereo', () => {
    expect(acts("it's dark in here", { area: 'hallway' })).toEqual([['hallway_light', 'turnOn', {}]]);
    expect(acts('这里太暗了', { area: 'hallway' })).toEqual([['hallway_light', 'turnOn', {}]]);
    expect(acts('play some music in the car')).toEqual([['car_media', 'play', {}]]);
  });

  it('a singular light in an area is the one named after the area; plural means all', () => {
    expect(acts('turn on the light in the living room')).toEqual([['living_room_light', 'turnOn', {}]]);
    expect(acts('把客厅的灯打开')).toEqual([['living_room_light', 'turnOn', {}]]);
    expect(acts('turn on the lights in the living room').map((a) => a[0])).toEqual(['living_room_light', 'floor_lamp']);
    expect(acts('把客厅的灯都打开').map((a) => a[0])).toEqual(['living_room_light', 'floor_lamp']);
  });

  it('a device name said with another area means that area\'s device of the same kind', () => {
    expect(acts('打开卧室的空调')).toEqual([['bedroom_ac', 'turnOn', {}]]);
    expect(acts('turn on the heater in the kids room')).toEqual([['kids_room_heater', 'turnOn', {}]]);
  });

  it('a generic word that fits several devices asks which one', () => {
    const r = parse('turn on the light');
    expect(r.clauses).toHaveLength(1);
    expect(r.clauses[0]!.kind).toBe('unknown');
    expect(reply('turn on the light')).toMatch(/which/i);
  });

  it('node names are not command targets; a name shared with a device means the device', () => {
    expect(parse('turn off the living room gateway').clauses[0]!.kind).toBe('unknown');
    expect(reply('打开客厅网关')).toContain('网关');
    expect(acts('start the washing machine')).toEqual([['washing_machine', 'startProgram', {}]]);
  });
});

describe('a number of devices is a count, not a value (两个灯, "the two lamps", "both")', () => {
  it('counts the devices named after it and acts on them when the place has that many', () => {
    for (const text of ['打开客厅两个灯', '把客厅两盏灯都打开', 'turn on the two living room lights', 'turn on both lights in the living room', 'turn on both living room lights']) {
      expect(acts(text), text).toEqual([
        ['living_room_light', 'turnOn', {}],
        ['floor_lamp', 'turnOn', {}],
      ]);
    }
  });

  it('never becomes a brightness: 把卧室两个灯都关了 turns off the one that is on', () => {
    expect(acts('把卧室两个灯都关了')).toEqual([['bedside_lamp', 'turnOff', {}]]);
    expect(reply('把卧室两个灯都关了')).toBe('床头灯已关闭。');
  });

  it("the speaker's room decides which two: 打开两个灯 in the living room", () => {
    expect(acts('打开两个灯', { area: 'living_room' })).toEqual([
      ['living_room_light', 'turnOn', {}],
      ['floor_lamp', 'turnOn', {}],
    ]);
  });

  it('says what there is and asks when the count is not what the place has', () => {
    const r = parse('关掉三盏灯', { area: 'living_room' });
    expect(r.clauses).toEqual([{ kind: 'unknown', reply: '您说的是3个，但找到2个：客厅灯、落地灯。请问是哪几个？' }]);
    expect(r.question).toMatchObject({ kind: 'device', devices: ['living_room_light', 'floor_lamp'] });
    expect(reply('turn off the three lamps', { area: 'living_room' })).toBe('You said 3, but I found 2: the living room light and the floor lamp. Which do you mean?');
    // "all" is the whole home's
    expect(reply('turn off all three lamps', { area: 'living_room' })).toMatch(/^You said 3, but I found 9: the living room light, the floor lamp, /);
    expect(reply('打开儿童房两个灯')).toBe('您说的是2个，但找到1个：儿童房灯。什么都没有改动。');
    expect(acts('打开儿童房两个灯')).toEqual([]);
  });

  it('the answer to that question keeps the count: a place with that many gives them all', () => {
    const r = parse('打开两个灯');
    expect(r.question).toMatchObject({ kind: 'device', count: 2 });
    for (const answer of ['客厅的', '客厅那两个']) {
      expect(acts(answer, { question: r.question, memory: r.memory }), answer).toEqual([
        ['living_room_light', 'turnOn', {}],
        ['floor_lamp', 'turnOn', {}],
      ]);
    }
    // without a count, "the living room one" is still the place's main light
    const one = parse('打开灯');
    expect(acts('客厅的', { question: one.question, memory: one.memory })).toEqual([['living_room_light', 'turnOn', {}]]);
  });

  it('a number that is a value stays a value', () => {
    expect(acts('把客厅灯亮度调到二十')).toEqual([
      ['living_room_light', 'turnOn', {}],
      ['living_room_light', 'setBrightness', { brightness: 20 }],
    ]);
    expect(acts('set the living room light to 2')).toEqual([
      ['living_room_light', 'turnOn', {}],
      ['living_room_light', 'setBrightness', { brightness: 2 }],
    ]);
    expect(acts('卧室空调调高两度')).toEqual([
      ['bedroom_ac', 'turnOn', {}],
      ['bedroom_ac', 'adjustTargetTemperature', { delta: 2 }],
    ]);
    expect(parse('两个小时后打开卧室灯').clauses).toMatchObject([{ kind: 'act', delayMs: 7_200_000, actions: [{ deviceId: 'bedroom_light', command: 'turnOn' }] }]);
  });
});
