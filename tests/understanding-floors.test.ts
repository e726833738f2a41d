/**
 * Floors, and words the HA corpus showed missing, through the engine over the benchmark home: a floor is an area
 * its rooms name as theirs (`floor`), so "the lights upstairs" / 楼上的灯 are the lights of those rooms; "dimmest"
 * keeps a light on; a bare attribute asks; 的 makes 锁 the lock; which-words with measure words.
 */
import { describe, expect, it } from 'vitest';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import type { Clause } from '@steward/hub/understanding/contract.ts';
import { home, acts, parse } from './helpers/understanding.ts';

const UPSTAIRS = ['bedroom', 'kids_room', 'study'];
const DOWNSTAIRS = ['living_room', 'kitchen', 'hallway'];
// every light on, so that "turn off" moves each one named
const floors = {
  ...home,
  devices: home.devices.map((d) => (d.type === 'light' ? { ...d, state: { ...d.state, on: true } } : d)),
  areas: [
    ...home.areas.map((a) => (UPSTAIRS.includes(a.id) ? { ...a, floor: 'upstairs' } : DOWNSTAIRS.includes(a.id) ? { ...a, floor: 'downstairs' } : a)),
    { id: 'upstairs', names: { en: ['upstairs', 'first floor'], zh: ['楼上', '二楼'] } },
    { id: 'downstairs', names: { en: ['downstairs', 'ground floor'], zh: ['楼下', '一楼'] } },
  ],
};
const u = createUnderstanding(homeViewFromHome(floors));
const actsOn = (text: string) =>
  u.parse(text, {}).clauses.flatMap((c: Clause) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command]) : []));

describe('floors', () => {
  const upstairsLightsOff = [['bedroom_light', 'turnOff'], ['bedside_lamp', 'turnOff'], ['kids_room_light', 'turnOff'], ['study_desk_lamp', 'turnOff']];
  it.each(['turn off the lights upstairs', 'turn off the upstairs lights', 'first floor lights off', '关掉楼上的灯', '把二楼的灯都关了'])('%s: the lights of the rooms on the floor', (text) => {
    expect(actsOn(text)).toEqual(upstairsLightsOff);
  });

  it('a room keeps its own devices; a floor without the kind says so', () => {
    expect(actsOn('turn off the bedroom light')).toEqual([['bedroom_light', 'turnOff']]);
    expect(actsOn('turn off the lights downstairs')).toEqual([['living_room_light', 'turnOff'], ['floor_lamp', 'turnOff'], ['kitchen_light', 'turnOff'], ['hallway_light', 'turnOff']]);
    expect(u.parse('打开楼下的洗衣机', {}).clauses.map((c) => c.kind)).toEqual(['unknown']);
  });
});

describe('words and grammar from the HA corpus', () => {
  it('"dimmest" keeps the light on at its lowest brightness', () => {
    expect(acts('把卧室灯调到最暗')).toEqual([['bedroom_light', 'turnOn', {}], ['bedroom_light', 'setBrightness', { brightness: 1 }]]);
    expect(acts('set the bedroom light to minimum brightness')).toEqual([['bedroom_light', 'turnOn', {}], ['bedroom_light', 'setBrightness', { brightness: 1 }]]);
  });

  it('a bare attribute asks about where the speaker is (现在温度)', () => {
    const r = parse('现在温度', { area: 'living_room' });
    expect(r.clauses.map((c) => c.kind)).toEqual(['query']);
  });

  it('的 before a verb-and-device word makes it the device: 把大门的锁打开 unlocks', () => {
    expect(acts('把大门的锁打开')).toEqual([['front_door_lock', 'unlock', {}]]);
  });

  it('which-words with measure words and unlocked questions ask, they do not act', () => {
    for (const text of ['哪一盏灯是开着的', '哪一扇窗帘是关着的', '有没有门没锁', '邊一道門係鎖著']) {
      expect(parse(text).clauses.map((c) => c.kind), text).toEqual(['query']);
    }
  });

  it('Cantonese 张 (= 把) and 调教 (adjust)', () => {
    expect(acts('張客廳燈閂咗佢')).toEqual([['living_room_light', 'turnOff', {}]]);
    expect(acts('調教電視音量到三十')).toEqual([['living_room_tv', 'setVolume', { volume: 30 }]]);
  });
});
