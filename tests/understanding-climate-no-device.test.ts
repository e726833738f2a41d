import { describe, expect, it } from 'vitest';
import { acts, parse } from './helpers/understanding.ts';

describe('a temperature with no device names the climate device that takes it', () => {
  it('the one device that takes the value as said, not one that would clamp it', () => {
    // the water heater starts at 35 °C and the fridge stops at 8: only the living-room AC takes 30° as said
    expect(acts('set temperature to 30°')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 30 }]]);
  });

  it('the speaker area decides among several; "temp" is temperature', () => {
    expect(acts('set the temperature to 22 degrees', { area: 'bedroom' })).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setTargetTemperature', { celsius: 22 }]]);
    expect(acts('set temp in bedroom to 25 degrees')).toEqual([['bedroom_ac', 'turnOn', {}], ['bedroom_ac', 'setTargetTemperature', { celsius: 25 }]]);
  });

  it('"change … to 50%" is a level', () => {
    expect(acts('change the kitchen light to 50%')).toEqual([['kitchen_light', 'setBrightness', { brightness: 50 }]]);
  });
});

describe('a polite question with a switch word is a command', () => {
  it('"can you turn … on?" acts; "is … on?" asks', () => {
    expect(acts('can you turn the kitchen light on?')).toEqual([['kitchen_light', 'turnOn', {}]]);
    expect(acts('could you switch the bedroom light off?')).toEqual([['bedroom_light', 'turnOff', {}]]);
    expect(acts('is the kitchen light on?')).toEqual([]);
  });
});

describe('state words in questions', () => {
  it('"is … closed?" asks, it does not close', () => {
    const r = parse('is the bedroom curtain closed?');
    expect(r.clauses.map((c) => c.kind)).toEqual(['query']);
    expect(acts('is the bedroom curtain closed?')).toEqual([]);
  });
});
