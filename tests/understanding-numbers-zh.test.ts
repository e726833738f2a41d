import { describe, expect, it } from 'vitest';
import { parseZhNumber } from '@steward/hub/understanding/zh-numbers.ts';

const num = (s: string) => parseZhNumber(s, 0);

describe('Chinese numerals', () => {
  it.each([
    ['二十四度', 24, 3],
    ['两度', 2, 1],
    ['十度', 10, 1],
    ['十五', 15, 2],
    ['六十', 60, 2],
    ['一百', 100, 2],
    ['一百零五', 105, 4],
    ['两百五', 250, 3],
    ['三十五点五', 35.5, 5],
    ['24度', 24, 2],
    ['7台', 7, 1],
  ])('%s is %d', (text, value, end) => {
    expect(num(text)).toEqual({ value, end });
  });

  it('reads 零下 and 负 as negative', () => {
    expect(num('零下二十度')).toEqual({ value: -20, end: 4 });
    expect(num('负五度')).toEqual({ value: -5, end: 2 });
  });

  it('reads percentages and halves', () => {
    expect(num('百分之四十')).toEqual({ value: 40, end: 5, percent: true });
    expect(num('百分之40')).toEqual({ value: 40, end: 5, percent: true });
    expect(num('一半')).toEqual({ value: 50, end: 2, percent: true });
  });

  it('reads fractions as percentages: 四分之一, 三分之二', () => {
    expect(num('四分之一')).toEqual({ value: 25, end: 4, percent: true });
    expect(num('四分之三')).toEqual({ value: 75, end: 4, percent: true });
    expect(num('三分之二')).toEqual({ value: 66.7, end: 4, percent: true });
    // 四分 without 之 is still four minutes for the scanner
    expect(num('四分钟')).toEqual({ value: 4, end: 1 });
  });

  it('reads 十几 and 二十几 as the middle of the range', () => {
    expect(num('十几度')).toEqual({ value: 15, end: 2 });
    expect(num('二十几度')).toEqual({ value: 25, end: 3 });
  });

  it('is not a number where none starts', () => {
    expect(num('百')).toBeUndefined();
    expect(num('半小时')).toBeUndefined();
    expect(num('打开')).toBeUndefined();
  });
});
