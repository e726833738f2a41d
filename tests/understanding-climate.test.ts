import { describe, expect, it } from 'vitest';
import { home, parse, acts, reply } from './helpers/understanding.ts';

describe('thermostats (HassClimateSetTemperature)', () => {
  it('absolute targets in digits, words and Chinese numerals', () => {
    for (const text of ['set the AC to 24 degrees', 'AC to twenty four degrees', '空调调到二十四度', '空调24度', '把空调设置成二十四度']) {
      expect(acts(text)).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 24 }]]);
    }
    expect(acts('set the water heater to 60 degrees')).toEqual([['water_heater', 'setTargetTemperature', { celsius: 60 }]]);
    expect(acts('热水器调到六十度')).toEqual([['water_heater', 'setTargetTemperature', { celsius: 60 }]]);
    expect(acts('set the AC to 25.5')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 25.5 }]]);
    expect(acts('空调调到二十五点五度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 25.5 }]]);
  });

  it('relative changes use the number said, or one degree', () => {
    expect(acts('turn the AC down two degrees')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'adjustTargetTemperature', { delta: -2 }]]);
    expect(acts('空调温度调低两度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'adjustTargetTemperature', { delta: -2 }]]);
    expect(acts('make the bedroom air conditioner warmer')).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'adjustTargetTemperature', { delta: 1 }]]);
    // "调低到": a direction with "到" is an absolute target
    expect(acts('空调温度调低到二十度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 20 }]]);
    expect(acts('turn the AC down to 20')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 20 }]]);
  });

  it('a direction said around its object: "cool the living room down to 23", "warm the kids room up"', () => {
    expect(acts('cool the living room down to 23')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 23 }]]);
    expect(acts('warm the kids room up a little')).toEqual([['kids_room_heater', 'turnOn', {}], ['kids_room_heater', 'adjustTargetTemperature', { delta: 1 }]]);
    expect(acts('crank the TV up')).toEqual([['living_room_tv', 'adjustVolume', { delta: 10 }]]);
  });

  it('out-of-range targets are clamped and the reply names the range', () => {
    expect(acts('set the bedroom AC to 40 degrees')).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setTargetTemperature', { celsius: 30 }]]);
    expect(reply('set the bedroom AC to 40 degrees')).toBe('The bedroom AC goes from 16 to 30 °C, so I set it to 30 °C.');
    expect(reply('卧室空调调到四十度')).toBe('卧室空调的温度范围是16到30度，已调到30度。');
  });

  it('modes map words to the home\'s canonical ids', () => {
    expect(acts('turn on the air conditioner in cooling mode')).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_ac', 'setMode', { mode: 'cool' }],
    ]);
    expect(acts('主卧空调调成制热模式')).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setMode', { mode: 'heat' }]]);
    expect(acts('空调开启除湿模式')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setMode', { mode: 'dry' }]]);
    expect(acts('卧室空调开制热二十五度')).toEqual([
      ['bedroom_ac', 'turnOn', {}],
      ['bedroom_ac', 'setMode', { mode: 'heat' }],
      ['bedroom_ac', 'setTargetTemperature', { celsius: 25 }],
    ]);
    expect(acts('set the bedroom AC to heat mode at 25 degrees')).toEqual([
      ['bedroom_ac', 'turnOn', {}],
      ['bedroom_ac', 'setMode', { mode: 'heat' }],
      ['bedroom_ac', 'setTargetTemperature', { celsius: 25 }],
    ]);
  });

  it('fan speeds', () => {
    expect(acts('set the AC fan speed to high')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setFanSpeed', { speed: 'high' }]]);
    expect(acts('空调风速调到最大')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setFanSpeed', { speed: 'high' }]]);
    expect(acts('卧室空调风速调成中')).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setFanSpeed', { speed: 'medium' }]]);
  });

  it('heaters', () => {
    expect(acts('打开儿童房的取暖器')).toEqual([['kids_room_heater', 'turnOn', {}]]);
    expect(acts('取暖器调到二十六度')).toEqual([['kids_room_heater', 'turnOn', {}], ['kids_room_heater', 'setTargetTemperature', { celsius: 26 }]]);
  });

  it('a mode the device does not have is refused with the modes it has', () => {
    expect(parse('put the AC in vacation mode').clauses[0]!.kind).toBe('unknown');
    expect(reply('put the AC in vacation mode')).toContain('cool, heat, dry, fan, auto');
  });
});

describe('a word several fields share', () => {
  it('the attribute said picks the field: "fan ... auto" is the fan speed, not the mode', () => {
    expect(acts('set the AC fan to auto')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setFanSpeed', { speed: 'auto' }]]);
    expect(acts('set the AC to auto mode')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setMode', { mode: 'auto' }]]);
  });
});

describe('feeling cold warms, feeling hot cools: never the opposite mode', () => {
  const HEAT_BEDROOM = [['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setMode', { mode: 'heat' }]];
  const WARMER_LIVING = [['living_room_ac', 'turnOn', {}], ['living_room_ac', 'adjustTargetTemperature', { delta: 1 }]];
  const WARMER_KIDS = [['kids_room_heater', 'turnOn', {}], ['kids_room_heater', 'adjustTargetTemperature', { delta: 1 }]];
  it('"it\'s getting cold", "I\'m cold", 好冷, 变冷了 in a room: heat mode on the AC set to cool, one degree up otherwise', () => {
    for (const text of ["it's getting cold", "I'm cold", '好冷', '变冷了', "it's getting colder in here", "I'm freezing", '天冷了', '越来越冷']) {
      // the bedroom AC is in cool mode: it is switched to heat; the living room AC (auto) and the heater go one up
      expect(acts(text, { area: 'bedroom' }), text).toEqual(HEAT_BEDROOM);
      expect(acts(text, { area: 'living_room' }), text).toEqual(WARMER_LIVING);
      expect(acts(text, { area: 'kids_room' }), text).toEqual(WARMER_KIDS);
    }
    expect(acts("it's getting cold in the bedroom")).toEqual(HEAT_BEDROOM);
    expect(acts('卧室变冷了')).toEqual(HEAT_BEDROOM);
  });

  it('said nowhere in particular, it asks among what warms (the heater too), and nothing is set to cool', () => {
    expect(reply("it's getting cold")).toBe('Which one do you mean: the air conditioner, the bedroom AC, the heater or the car AC?');
    expect(reply('变冷了')).toBe('请问是哪一个：空调、卧室空调、取暖器、车内空调？');
    expect(acts("it's getting cold")).toEqual([]);
  });

  it('symmetric: "it\'s hot", "it\'s getting hot", 太热了, 变热了 turn the target down', () => {
    for (const text of ["it's hot", "it's getting hot", '太热了', '变热了', "I'm boiling"]) {
      expect(acts(text, { area: 'bedroom' }), text).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'adjustTargetTemperature', { delta: -1 }]]);
      expect(acts(text, { area: 'living_room' }), text).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'adjustTargetTemperature', { delta: -1 }]]);
    }
    expect(reply("it's getting hot")).toBe('Which one do you mean: the air conditioner, the bedroom AC or the car AC?');
    expect(reply('变热了')).toBe('请问是哪一个：空调、卧室空调、车内空调？');
  });
});

describe('"the temperature of" names the attribute asked or set', () => {
  it('asks for the temperatures of the device named, not all of its state', () => {
    expect(reply('what is the temperature of the living room ac')).toBe('The air conditioner is set to 26 °C and 29 °C in the room.');
    expect(acts('set the temperature of the living room to 24')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 24 }]]);
  });
});
