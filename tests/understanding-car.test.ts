import { describe, expect, it } from 'vitest';
import { home, acts, reply } from './helpers/understanding.ts';

describe('car', () => {
  it('navigation to a free-text destination', () => {
    expect(acts('navigate to the airport')).toEqual([['car_navigation', 'navigateTo', { destination: 'airport' }]]);
    expect(acts('导航去首都机场')).toEqual([['car_navigation', 'navigateTo', { destination: '首都机场' }]]);
    expect(acts('take me to Central Station')).toEqual([['car_navigation', 'navigateTo', { destination: 'Central Station' }]]);
    expect(acts('带我去最近的加油站吧')).toEqual([['car_navigation', 'navigateTo', { destination: '最近的加油站' }]]);
    expect(reply('导航去首都机场')).toContain('首都机场');
  });

  it('places said in the verb, and commas inside a destination', () => {
    expect(acts('take me home')).toEqual([['car_navigation', 'navigateTo', { destination: 'home' }]]);
    expect(acts('导航回家')).toEqual([['car_navigation', 'navigateTo', { destination: '家' }]]);
    expect(acts('navigate to 221B Baker Street, London')).toEqual([['car_navigation', 'navigateTo', { destination: '221B Baker Street, London' }]]);
    expect(acts('导航去北京西站，然后打开空调')).toEqual([
      ['car_navigation', 'navigateTo', { destination: '北京西站' }],
      ['living_room_ac', 'turnOn', {}],
    ]);
    expect(acts('cancel the navigation')).toEqual([['car_navigation', 'cancelNavigation', {}]]);
  });

  it('seat heater levels', () => {
    expect(acts('turn on the seat heating')).toEqual([['car_seat_heater', 'setLevel', { level: 2 }]]);
    expect(acts('打开座椅加热')).toEqual([['car_seat_heater', 'setLevel', { level: 2 }]]);
    expect(acts('set the seat heater to maximum')).toEqual([['car_seat_heater', 'setLevel', { level: 3 }]]);
    expect(acts('座椅加热开到最高档')).toEqual([['car_seat_heater', 'setLevel', { level: 3 }]]);
    expect(acts('座椅加热调到一档')).toEqual([['car_seat_heater', 'setLevel', { level: 1 }]]);
    expect(acts('turn off the seat heater')).toEqual([['car_seat_heater', 'setLevel', { level: 0 }]]);
  });

  it('charge limit and charging', () => {
    expect(acts('charge the car to 90 percent')).toEqual([
      ['car_battery', 'setChargeLimit', { percent: 90 }],
      ['car_battery', 'startCharging', {}],
    ]);
    expect(acts('充电上限设为百分之九十五')).toEqual([['car_battery', 'setChargeLimit', { percent: 95 }]]);
    expect(acts('开始充电')).toEqual([['car_battery', 'startCharging', {}]]);
  });

  it('the car climate by name or by area', () => {
    expect(acts('set the car AC to 20 degrees')).toEqual([['car_climate', 'turnOn', {}], ['car_climate', 'setTargetTemperature', { celsius: 20 }]]);
    expect(acts('车里空调调到二十度')).toEqual([['car_climate', 'turnOn', {}], ['car_climate', 'setTargetTemperature', { celsius: 20 }]]);
    expect(acts('车载空调调到二十一度')).toEqual([['car_climate', 'turnOn', {}], ['car_climate', 'setTargetTemperature', { celsius: 21 }]]);
  });

  it('locks: the engine emits unlock like any command', () => {
    expect(acts('unlock the car')).toEqual([['car_lock', 'unlock', {}]]);
    expect(acts('打开车门')).toEqual([['car_lock', 'unlock', {}]]);
  });
});
