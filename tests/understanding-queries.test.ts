import { describe, expect, it } from 'vitest';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import type { ParseContext } from '@steward/hub/understanding/contract.ts';
import { home, parse, acts, reply } from './helpers/understanding.ts';

const query = (text: string, ctx: ParseContext = {}) => {
  const r = parse(text, ctx);
  expect(r.clauses.map((c) => c.kind)).toEqual(['query']);
  return (r.clauses[0] as { reply: string }).reply;
};

describe('questions are answered from the live state (HassGetState)', () => {
  it('locks', () => {
    expect(query('is the front door locked?')).toBe('The front door is locked.');
    expect(query('门锁了吗')).toBe('门锁已锁上。');
    expect(query('车门锁了没有')).toContain('已锁上');
    expect(query('did I lock the front door?')).toContain('is locked');
  });

  it('room temperature and humidity', () => {
    expect(query("what's the temperature in the living room?")).toBe("It's 29 °C in the living room.");
    expect(query('客厅现在多少度')).toBe('客厅现在29度。');
    expect(query('how warm is it in the bedroom')).toContain('18');
    expect(query('客厅湿度多少')).toContain('65');
  });

  it('the car battery', () => {
    expect(query("what's the car's battery level?")).toContain('62 %');
    expect(query('车还有多少电')).toContain('62%');
    expect(query('车的电量是多少')).toContain('62%');
  });

  it('a temperature without a room is the rooms that measure it, or the speaker\'s', () => {
    expect(query("what's the temperature")).toBe("It's 29 °C in the living room.");
    expect(query('现在几度', { area: 'bedroom' })).toBe('卧室现在18度。');
    expect(query('冰箱冷冻室多少度')).toBe('冰箱冷冻室-18度。');
  });

  it('which lights are on', () => {
    expect(query('which lights are on?')).toBe('The kitchen light and the bedside lamp are on.');
    expect(query('哪些灯开着')).toBe('开着的灯有：厨房灯、床头灯。');
  });

  it('power state', () => {
    expect(query('is the TV on?')).toBe('The TV is off.');
    expect(query('电视开着吗')).toBe('电视关着。');
    expect(query('is the kitchen light on')).toContain('is on');
  });

  it('answers follow the state of the home', () => {
    const view = homeViewFromHome(home);
    const live = createUnderstanding(view);
    view.patch('front_door_lock', { locked: false });
    const r = live.parse('is the front door locked?', {});
    expect(r.clauses[0]).toEqual({ kind: 'query', reply: 'The front door is unlocked.' });
  });

  it('a request phrased as a question is a request', () => {
    expect(acts('can you turn on the TV?')).toEqual([['living_room_tv', 'turnOn', {}]]);
    expect(acts('能帮我打开电视吗')).toEqual([['living_room_tv', 'turnOn', {}]]);
    expect(acts('turn on the TV?')).toEqual([['living_room_tv', 'turnOn', {}]]);
  });
});
