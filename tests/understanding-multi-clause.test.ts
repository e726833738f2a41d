import { describe, expect, it } from 'vitest';
import { parse, acts, reply } from './helpers/understanding.ts';

describe('several commands in one sentence', () => {
  it('"and", "then", commas and 然后 split clauses, in order', () => {
    for (const text of ['turn on the TV and turn off the kitchen light', 'turn on the TV, then switch off the kitchen light', '打开电视，然后把厨房灯关了', '打开电视再关掉厨房灯']) {
      const r = parse(text);
      expect(r.clauses.map((c) => c.kind)).toEqual(['act', 'act']);
      expect(acts(text)).toEqual([['living_room_tv', 'turnOn', {}], ['kitchen_light', 'turnOff', {}]]);
    }
  });

  it('a clause without a verb borrows the previous one\'s', () => {
    expect(acts('turn on the TV and the floor lamp')).toEqual([['living_room_tv', 'turnOn', {}], ['floor_lamp', 'turnOn', {}]]);
    expect(acts('打开落地灯和电视')).toEqual([['floor_lamp', 'turnOn', {}], ['living_room_tv', 'turnOn', {}]]);
    expect(acts('把灯和电视关了', { area: 'living_room' }).map((a) => a[0])).toContain('living_room_tv');
  });

  it('targets before 和/and join the next command; across 然后 they take the previous verb', () => {
    expect(acts('打开空调和电视，然后把窗帘拉上')).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_tv', 'turnOn', {}],
      ['living_room_curtains', 'close', {}],
    ]);
    expect(acts('客厅灯和卧室灯都打开')).toEqual([['living_room_light', 'turnOn', {}], ['bedroom_light', 'turnOn', {}]]);
    expect(acts('the bathroom fan, turn it on')).toEqual([['bathroom_fan', 'turnOn', {}]]);
  });

  it('a clause without a target uses the previous clause\'s devices', () => {
    expect(acts('打开空调，制冷模式')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setMode', { mode: 'cool' }]]);
    expect(acts('turn on the AC and set it to 24')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 24 }]]);
    expect(acts('把空调打开然后调到二十度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 20 }]]);
  });

  it('a later clause starts from the state the earlier ones leave', () => {
    // the AC is on by the time the mode is set: one turnOn, not two
    expect(acts('turn on the air conditioner, then set it to cooling mode')).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_ac', 'setMode', { mode: 'cool' }],
    ]);
    // the lamp is on when the second clause brightens it: no second turnOn
    expect(acts('打开卧室灯，然后亮一点')).toEqual([
      ['bedroom_light', 'turnOn', {}],
      ['bedroom_light', 'adjustBrightness', { delta: 20 }],
    ]);
    // a setting said to an AC that is off turns it on, as users of voice assistants expect
    expect(acts('把客厅空调调到24度然后关掉电视')).toEqual([
      ['living_room_ac', 'turnOn', {}],
      ['living_room_ac', 'setTargetTemperature', { celsius: 24 }],
      ['living_room_tv', 'turnOff', {}],
    ]);
  });

  it('再 at the start means "more", not a new command', () => {
    const r = parse('再亮一点', { memory: { devices: ['bedroom_light'] } });
    expect(r.clauses).toHaveLength(1);
  });

  it('each clause has its own reply', () => {
    const r = parse('turn on the TV and turn off the kitchen light');
    expect(r.clauses.map((c) => ('reply' in c ? c.reply : ''))).toEqual(['TV on.', 'Kitchen light off.']);
  });
});
