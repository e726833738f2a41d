import { describe, expect, it } from 'vitest';
import { u, parse, reply, acts } from './helpers/understanding.ts';

const only = (text: string) => {
  const r = parse(text);
  expect(r.clauses).toHaveLength(1);
  return r.clauses[0]!;
};

describe('delayed commands', () => {
  it.each([
    ['turn off the kitchen light in 5 minutes', 300_000],
    ['in five minutes turn off the kitchen light', 300_000],
    ['switch off the kitchen light after 5 minutes', 300_000],
    ['五分钟后关掉厨房灯', 300_000],
    ['5分钟以后关闭厨房灯', 300_000],
    ['过五分钟关厨房灯', 300_000],
    ['十分钟后关掉厨房灯', 600_000],
    ['in half an hour turn off the kitchen light', 1_800_000],
    ['半小时后关掉厨房灯', 1_800_000],
    ['关掉厨房灯，一小时后', 3_600_000],
  ])('%s', (text, delayMs) => {
    const c = only(text);
    expect(c).toMatchObject({ kind: 'act', delayMs, actions: [{ deviceId: 'kitchen_light', command: 'turnOff', params: {} }] });
  });

  it('the reply says when', () => {
    expect(reply('turn off the kitchen light in 5 minutes')).toBe('OK, in 5 minutes: kitchen light off.');
    expect(reply('五分钟后关掉厨房灯')).toBe('好的，5分钟后厨房灯关闭。');
  });

  it("say('scheduled') keeps a reply that already says when, and adds it otherwise", () => {
    const c = only('turn off the kitchen light in 5 minutes');
    expect(c.kind === 'act' && u.say('en', { key: 'scheduled', delayMs: 300_000, reply: c.reply })).toBe('OK, in 5 minutes: kitchen light off.');
    expect(u.say('zh', { key: 'scheduled', delayMs: 600_000, reply: '厨房灯关闭。' })).toBe('好的，10分钟后厨房灯关闭。');
  });

  it('a scene can be delayed too', () => {
    expect(only('good night in 10 minutes')).toMatchObject({ kind: 'act', sceneId: 'good_night', delayMs: 600_000 });
  });
});

describe('when said in a clause of its own', () => {
  it('a leading "five minutes from now," belongs to the command after it', () => {
    expect(only('five minutes from now, switch off the kitchen light')).toMatchObject({ kind: 'act', delayMs: 300_000 });
    expect(only('五分钟后，关掉厨房灯')).toMatchObject({ kind: 'act', delayMs: 300_000 });
  });

  it('targets joined to a delayed command are delayed too', () => {
    for (const text of ['in 10 minutes turn on the TV and the floor lamp', '十分钟后打开电视和落地灯']) {
      const cs = parse(text).clauses;
      expect(cs).toHaveLength(2);
      for (const c of cs) expect(c).toMatchObject({ kind: 'act', delayMs: 600_000 });
    }
  });
});

describe('a duration is how long, not when ("for two hours", 开两个小时)', () => {
  const clauses = (text: string) =>
    parse(text).clauses.map((c) => (c.kind === 'act' ? { actions: c.actions.map((a) => [a.deviceId, a.command, a.params]), delayMs: c.delayMs, reply: c.reply } : c));

  it.each([
    ['开两个小时空调', 7_200_000],
    ['空调开两个小时', 7_200_000],
    ['打开客厅空调两个小时', 7_200_000],
    ['打开空调持续半小时', 1_800_000],
    ['run the AC for two hours', 7_200_000],
    ['turn on the living room AC for 2 hours', 7_200_000],
  ])('%s: on now, off after it', (text, ms) => {
    expect(clauses(text)).toEqual([
      { actions: [['living_room_ac', 'turnOn', {}]], delayMs: undefined, reply: expect.any(String) },
      { actions: [['living_room_ac', 'turnOff', {}]], delayMs: ms, reply: expect.any(String) },
    ]);
  });

  it('the replies say both', () => {
    expect(reply('开两个小时空调')).toBe('空调已打开。 好的，2小时后空调关闭。'); // the test helper joins clauses with a space; the hub joins zh without
    expect(reply('turn on the fan for 30 minutes')).toBe('Bathroom fan on. OK, in 30 minutes: bathroom fan off.');
    expect(acts('turn on the fan for 30 minutes')).toEqual([
      ['bathroom_fan', 'turnOn', {}],
      ['bathroom_fan', 'turnOff', {}],
    ]);
  });

  it('turning off for a while turns back on after it', () => {
    expect(clauses('把客厅灯关掉十分钟')[1]).toBeUndefined(); // already off: nothing to undo
    expect(clauses('把床头灯关掉十分钟')).toEqual([
      { actions: [['bedside_lamp', 'turnOff', {}]], delayMs: undefined, reply: '床头灯已关闭。' },
      { actions: [['bedside_lamp', 'turnOn', {}]], delayMs: 600_000, reply: '好的，10分钟后床头灯打开。' },
    ]);
  });

  it('开空调十分钟后关掉: a time with 后 between two commands delays the second, on the same device', () => {
    expect(clauses('开空调十分钟后关掉')).toEqual([
      { actions: [['living_room_ac', 'turnOn', {}]], delayMs: undefined, reply: '空调已打开。' },
      { actions: [['living_room_ac', 'turnOff', {}]], delayMs: 600_000, reply: '好的，10分钟后空调关闭。' },
    ]);
  });

  it('"in", 后 and 过 still say when', () => {
    for (const text of ['两个小时后开空调', '过两个小时开空调', 'turn on the AC in two hours', '空调两个小时后开']) {
      expect(clauses(text), text).toEqual([{ actions: [['living_room_ac', 'turnOn', {}]], delayMs: 7_200_000, reply: expect.any(String) }]);
    }
  });
});
