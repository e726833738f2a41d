import { describe, expect, it } from 'vitest';
import { parseEnNumber } from '@steward/hub/understanding/en-numbers.ts';
import { normalize } from '@steward/hub/understanding/text.ts';

/** Numbers are read from normalised text ("twenty-four" becomes "twenty four"). */
const num = (s: string) => {
  const n = normalize(s).text;
  const m = parseEnNumber(n, 0);
  return m && { ...m, rest: n.slice(m.end) };
};

describe('English numbers', () => {
  it.each([
    ['24 degrees', 24],
    ['35.5', 35.5],
    ['-5', -5],
    ['seven', 7],
    ['twenty four', 24],
    ['twenty-four degrees', 24],
    ['thirty-five', 35],
    ['ninety', 90],
    ['one hundred', 100],
    ['a hundred and five', 105],
    ['thirty five point five', 35.5],
    ['minus twenty', -20],
    ['negative 3', -3],
  ])('%s is %d', (text, value) => {
    expect(num(text)?.value).toBe(value);
  });

  it('reads halves and quarters as percentages', () => {
    expect(num('a half')).toMatchObject({ value: 50, percent: true });
    expect(num('half')).toMatchObject({ value: 50, percent: true });
    expect(num('halfway')).toMatchObject({ value: 50, percent: true });
    expect(num('a quarter')).toMatchObject({ value: 25, percent: true });
  });

  it('stops where the number ends', () => {
    expect(num('twenty four degrees')?.rest).toBe(' degrees');
    expect(num('five minutes')?.rest).toBe(' minutes');
  });

  it('does not read ordinary words or a lone article', () => {
    expect(num('a bit')).toBeUndefined();
    expect(num('turn on')).toBeUndefined();
    expect(num('often')).toBeUndefined();
  });
});
