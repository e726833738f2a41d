import { describe, expect, it } from 'vitest';
import { acts } from './helpers/understanding.ts';

describe('curtains, windows and the trunk (position)', () => {
  it('open and close', () => {
    expect(acts('open the living room curtains')).toEqual([['living_room_curtains', 'open', {}]]);
    expect(acts('打开客厅窗帘')).toEqual([['living_room_curtains', 'open', {}]]);
    expect(acts('close the bedroom curtains')).toEqual([['bedroom_curtains', 'close', {}]]);
    expect(acts('把卧室窗帘关上')).toEqual([['bedroom_curtains', 'close', {}]]);
    expect(acts('拉开窗帘')).toEqual([['living_room_curtains', 'open', {}]]);
  });

  it('percent and half', () => {
    expect(acts('set the living room curtains to 30 percent')).toEqual([['living_room_curtains', 'setPosition', { position: 30 }]]);
    expect(acts('客厅窗帘打开百分之三十')).toEqual([['living_room_curtains', 'setPosition', { position: 30 }]]);
    expect(acts('窗帘开到一半')).toEqual([['living_room_curtains', 'setPosition', { position: 50 }]]);
    expect(acts('open the bedroom curtains halfway')).toEqual([['bedroom_curtains', 'setPosition', { position: 50 }]]);
  });

  it('"a bit" moves by a step instead of all the way', () => {
    expect(acts('open the curtains a little')).toEqual([['living_room_curtains', 'adjustPosition', { delta: 20 }]]);
    expect(acts('把卧室窗帘关上一点')).toEqual([['bedroom_curtains', 'adjustPosition', { delta: -20 }]]);
  });

  it('windows open downwards', () => {
    expect(acts('open the car windows')).toEqual([['car_windows', 'open', {}]]);
    expect(acts('把车窗打开')).toEqual([['car_windows', 'open', {}]]);
    expect(acts('lower the car windows')).toEqual([['car_windows', 'setPosition', { position: 100 }]]);
    expect(acts('车窗降下来')).toEqual([['car_windows', 'setPosition', { position: 100 }]]);
    expect(acts('raise the living room blinds')).toEqual([['living_room_curtains', 'setPosition', { position: 100 }]]);
  });

  it('the trunk opens like any cover (the conversation layer asks for confirmation)', () => {
    expect(acts('open the boot')).toEqual([['car_trunk', 'open', {}]]);
    expect(acts('把后备箱打开')).toEqual([['car_trunk', 'open', {}]]);
  });
});

describe('curtain wording', () => {
  it('"pull back" opens; a plural that is a device name names that device only', () => {
    expect(acts('pull back the living room curtains')).toEqual([['living_room_curtains', 'open', {}]]);
    expect(acts('open the curtains to thirty percent')).toEqual([['living_room_curtains', 'setPosition', { position: 30 }]]);
    expect(acts('set all the curtains to 50 %').map((a) => a[0]).sort()).toEqual(['bedroom_curtains', 'living_room_curtains']);
  });
});
