import { describe, expect, it } from 'vitest';
import { parse, reply } from './helpers/understanding.ts';

describe('unknown devices are answered helpfully and change nothing', () => {
  it.each([
    ['turn on the garage light', 'garage light'],
    ['open the garage door', 'garage door'],
    ['打开车库灯', '车库灯'],
    ['打开车库的灯', '车库的灯'],
  ])('%s', (text, named) => {
    const r = parse(text);
    expect(r.clauses).toEqual([{ kind: 'unknown', reply: expect.stringContaining(named) }]);
  });

  it('things the engine cannot place ask which device, in the language of the command', () => {
    for (const text of ['start the coffee machine', 'turn on the projector', '打开投影仪', '关闭加湿器']) {
      const r = parse(text);
      expect(r.clauses.every((c) => c.kind === 'unknown')).toBe(true);
    }
    expect(reply('打开投影仪')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('an unknown word is not replaced by a device that happens to fit the rest', () => {
    expect(parse('打开地暖').clauses.map((c) => c.kind)).toEqual(['unknown']);
    expect(parse('turn on the basement heater').clauses).toEqual([{ kind: 'unknown', reply: expect.stringContaining('basement heater') }]);
    expect(parse('turn on the lights in the garage').clauses.map((c) => c.kind)).toEqual(['unknown']);
  });

  it('nonsense is not understood', () => {
    expect(parse('blorp zzz').clauses).toEqual([{ kind: 'unknown', reply: "Sorry, I didn't understand that." }]);
    expect(parse('').clauses[0]!.kind).toBe('unknown');
  });

  it('a device in an area that has none of that kind', () => {
    expect(reply('turn on the TV in the kitchen')).toBe("There's no tv in the kitchen.");
    expect(parse('turn on the TV in the kitchen').clauses[0]!.kind).toBe('unknown');
  });
});
