/**
 * Chinese numerals at a position of normalised text: 二十四, 两, 十几 (about fifteen), 零下二十 / 负五,
 * 百分之四十, 一半, 四分之一, 三十五点五, and Arabic digits mixed in (百分之40, 24).
 */
import { enNumberAt, type NumberMatch } from './en-numbers.ts';

export type { NumberMatch } from './en-numbers.ts';

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters a Chinese number can start with; a cheap test before parsing. */
export function mayStartZhNumber(ch: string): boolean {
  return ch in DIGITS || ch === '十' || ch === '百' || ch === '负' || ch === '半' || (ch >= '0' && ch <= '9');
}

function readDigits(s: string, i: number): { value: number; end: number } | undefined {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j === i) return undefined;
  let end = j;
  if (s[j] === '.' && s.charCodeAt(j + 1) >= 48 && s.charCodeAt(j + 1) <= 57) {
    end = j + 1;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
  }
  return { value: Number(s.slice(i, end)), end };
}

/** An integer in Chinese numerals (with 十几 approximations), or digits. */
function readInteger(s: string, i: number): { value: number; end: number } | undefined {
  const d = readDigits(s, i);
  if (d) return d;
  let total = 0;
  let section = 0;
  let num = -1; // -1: no pending digit
  let j = i;
  let lastUnit = 0;
  let zero = false;
  for (; j < s.length; j++) {
    const ch = s[j]!;
    if (ch in DIGITS) {
      // "二四" is not a number we read; a digit right after a digit ends the number (零 only fills a gap: 一百零五)
      if (num > 0 || (num === 0 && !zero)) break;
      zero = ch === '零' || ch === '〇';
      num = DIGITS[ch]!;
      continue;
    }
    const unit = UNITS[ch];
    if (unit !== undefined) {
      if (num < 0 && unit !== 10) break; // "百" alone is not a number
      section += (num < 0 ? 1 : num) * unit;
      num = -1;
      lastUnit = unit;
      continue;
    }
    if (ch === '万' && (section > 0 || num > 0)) {
      total += (section + Math.max(num, 0)) * 10000;
      section = 0;
      num = -1;
      lastUnit = 10000;
      continue;
    }
    if (ch === '几' && lastUnit > 0 && num < 0) {
      // 十几 ~ 15, 二十几 ~ 25: a speaker's rough number, the middle of the range
      num = (lastUnit / 10) * 5;
      j++;
      break;
    }
    break;
  }
  if (j === i) return undefined;
  // "两百五" = 250, "三千二" = 3200: a trailing digit after a unit is one step below it
  let tail = Math.max(num, 0);
  if (num > 0 && lastUnit >= 100 && !(s[j - 2] === '零')) tail = (num * lastUnit) / 10;
  const value = total + section + tail;
  // a lone "两"/"一" that is not followed by more numerals still counts (两度, 一档)
  return { value, end: j };
}

export function parseZhNumber(s: string, i: number): NumberMatch | undefined {
  let j = i;
  let sign = 1;
  let percent = false;
  if (s.startsWith('零下', j)) {
    sign = -1;
    j += 2;
  } else if (s[j] === '负') {
    sign = -1;
    j += 1;
  }
  if (s.startsWith('百分之', j)) {
    percent = true;
    j += 3;
  }
  if (s.startsWith('一半', j)) return { value: 50, end: j + 2, percent: true };
  if (s[j] === '半' && !percent && sign === 1) return undefined; // 半小时 and friends are dictionary words
  const int = readInteger(s, j);
  if (!int) return undefined;
  let value = int.value;
  let end = int.end;
  // 四分之一, 三分之二: a fraction is a share of the whole, in percent
  if (!percent && s.startsWith('分之', end) && value > 0) {
    const part = readInteger(s, end + 2);
    if (part && part.value <= value) return { value: sign * Math.round((part.value / value) * 1000) / 10, end: part.end, percent: true };
  }
  // 三十五点五: decimals after 点 (a lone 点 is "a bit": 一点, 小点)
  if (s[end] === '点' && int.end > j) {
    let k = end + 1;
    let frac = '';
    while (k < s.length && (s[k]! in DIGITS || (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57))) {
      const ch = s[k]!;
      frac += ch in DIGITS ? String(DIGITS[ch]) : ch;
      k++;
    }
    if (frac) {
      value = Number(`${value}.${frac}`);
      end = k;
    }
  }
  return { value: sign * value, end, ...(percent ? { percent } : {}) };
}

/** characters a Chinese number can start with */
const ZH_NUMBER_START = new Set('零〇一幺二两俩三四五六七八九十百负半'.split('').map((ch) => ch.charCodeAt(0)));

/**
 * The scanner's number reader for Chinese text: Chinese numerals, and digits or English number words as English
 * text has them ("24度", "-5").
 */
export function zhNumberAt(s: string, i: number): NumberMatch | undefined {
  const c = s.charCodeAt(i);
  if (ZH_NUMBER_START.has(c)) return parseZhNumber(s, i);
  return enNumberAt(s, i);
}
