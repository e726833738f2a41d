import { describe, expect, it } from 'vitest';
import { parse, acts, reply } from './helpers/understanding.ts';

describe('brightness (HassLightSet)', () => {
  it('sets brightness and turns the light on first, touching nothing else', () => {
    expect(acts('set the bedroom light to 40%')).toEqual([
      ['bedroom_light', 'turnOn', {}],
      ['bedroom_light', 'setBrightness', { brightness: 40 }],
    ]);
    expect(acts('把卧室灯调到百分之四十')).toEqual([
      ['bedroom_light', 'turnOn', {}],
      ['bedroom_light', 'setBrightness', { brightness: 40 }],
    ]);
  });

  it('does not add a turnOn for a light that is already on', () => {
    expect(acts('dim the kitchen light to 30 percent')).toEqual([['kitchen_light', 'setBrightness', { brightness: 30 }]]);
  });

  it('"dim ... to" is absolute, "brighter" and "再亮一点" are relative', () => {
    expect(acts('dim the floor lamp to 10 percent')).toContainEqual(['floor_lamp', 'setBrightness', { brightness: 10 }]);
    expect(acts('make the bedside lamp brighter')).toEqual([['bedside_lamp', 'adjustBrightness', { delta: 20 }]]);
    expect(acts('床头灯调暗一点')).toEqual([['bedside_lamp', 'adjustBrightness', { delta: -20 }]]);
    expect(acts('厨房灯太亮了')).toEqual([['kitchen_light', 'adjustBrightness', { delta: -20 }]]);
  });

  it('"full brightness" and "最亮" are the maximum', () => {
    expect(acts('turn the floor lamp up to full brightness')).toContainEqual(['floor_lamp', 'setBrightness', { brightness: 100 }]);
    expect(acts('落地灯开到最亮')).toContainEqual(['floor_lamp', 'setBrightness', { brightness: 100 }]);
  });

  it('replies with the new brightness', () => {
    expect(reply('set the bedroom light to 40%')).toBe('Bedroom light at 40 %.');
    expect(reply('把卧室灯调到百分之四十')).toBe('卧室灯亮度已调到40%。');
  });
});

describe('lights of an area', () => {
  it('a relative change over several lights is for those that are on', () => {
    expect(acts('dim the lights', { area: 'bedroom' })).toEqual([['bedside_lamp', 'adjustBrightness', { delta: -20 }]]);
  });

  it('"too hot in the bedroom" is for the AC, not the lamps\' colour temperature', () => {
    expect(acts("it's too hot in the bedroom")).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'adjustTargetTemperature', { delta: -1 }]]);
    expect(acts('make the bedroom light warmer')).toEqual([['bedroom_light', 'turnOn', {}], ['bedroom_light', 'adjustColorTemperature', { delta: -1000 }]]);
  });
});

describe('colour and colour temperature', () => {
  it('a colour name sets hue and saturation, and turns the lamp on', () => {
    expect(acts('make the floor lamp blue')).toEqual([
      ['floor_lamp', 'turnOn', {}],
      ['floor_lamp', 'setColor', { hue: 240, saturation: 100 }],
    ]);
    expect(acts('把落地灯调成蓝色')).toEqual([
      ['floor_lamp', 'turnOn', {}],
      ['floor_lamp', 'setColor', { hue: 240, saturation: 100 }],
    ]);
    expect(acts('床头灯换成红色')).toEqual([['bedside_lamp', 'setColor', { hue: 0, saturation: 100 }]]);
  });

  it('warm, cool and natural white are colour temperatures within the light\'s range', () => {
    expect(acts('set the living room light to warm white')).toContainEqual(['living_room_light', 'setColorTemperature', { kelvin: 2700 }]);
    expect(acts('卧室灯调成冷白光')).toContainEqual(['bedroom_light', 'setColorTemperature', { kelvin: 6500 }]);
    expect(acts('吊灯开自然光')).toContainEqual(['living_room_light', 'setColorTemperature', { kelvin: 4500 }]);
    expect(acts('客厅灯调成暖白')).toContainEqual(['living_room_light', 'setColorTemperature', { kelvin: 2700 }]);
    // daylight is bluer than natural white
    expect(acts('switch the living room light to daylight')).toContainEqual(['living_room_light', 'setColorTemperature', { kelvin: 5500 }]);
    expect(acts('卧室灯调成日光')).toContainEqual(['bedroom_light', 'setColorTemperature', { kelvin: 5500 }]);
  });

  it('a white-only light refuses a colour and says why', () => {
    const r = parse('make the ceiling light green');
    expect(r.clauses[0]!.kind).toBe('unknown');
    expect(reply('make the ceiling light green')).toMatch(/white/);
  });
});

describe('"light up", "illuminate": verbs that say the kind (lights)', () => {
  it('light up a place: its light; said with no place, the speaker\'s room', () => {
    expect(acts('light up the kitchen')).toEqual([['kitchen_light', 'turnOn', {}]]);
    expect(acts('illuminate the bedroom')).toEqual([['bedroom_light', 'turnOn', {}]]);
    expect(acts('light up', { area: 'bedroom' })).toEqual([['bedroom_light', 'turnOn', {}]]);
    expect(acts('light up this room', { area: 'living_room' })).toEqual([['living_room_light', 'turnOn', {}]]);
  });

  it('"illuminate the entire home" is every light that is off', () => {
    const off = ['living_room_light', 'floor_lamp', 'bedroom_light', 'kids_room_light', 'balcony_light', 'hallway_light', 'study_desk_lamp'];
    expect(acts('illuminate the entire home')).toEqual(off.map((id) => [id, 'turnOn', {}]));
    expect(reply('illuminate the entire home')).toBe('7 lights on.');
  });
});
