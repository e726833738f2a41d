import { describe, expect, it } from 'vitest';
import { u, parse, reply } from './helpers/understanding.ts';

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
