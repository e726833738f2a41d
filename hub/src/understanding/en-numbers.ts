/**
 * English numbers at a word start of normalised text: digits ("24", "35.5", "-5"), number words ("twenty four",
 * "thirty five point five", "a hundred"), "minus"/"negative", and "a half"/"half" (as 50 %).
 */
import { isAlnum, isDigit } from './text.ts';

/** A number read at a position of normalised text, in any language. */
export interface NumberMatch {
  value: number;
  end: number;
  /** written as a percentage (百分之四十, 一半, 40%, "a half") */
  percent?: boolean;
}

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** The word at i (letters only) and where it ends. */
function wordAt(s: string, i: number): { w: string; end: number } {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) j++;
  return { w: s.slice(i, j), end: j };
}

/** Skips one space; returns the index of the next word or -1. */
function nextWord(s: string, end: number): number {
  return s[end] === ' ' ? end + 1 : -1;
}

function readDigits(s: string, i: number): NumberMatch | undefined {
  let j = i;
  let sign = 1;
  if (s[j] === '-' && isDigit(s.charCodeAt(j + 1))) {
    sign = -1;
    j++;
  }
  const start = j;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === start) return undefined;
  if (s[j] === '.' && isDigit(s.charCodeAt(j + 1))) {
    j++;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  }
  return { value: sign * Number(s.slice(start, j)), end: j };
}

/** "twenty four", "a hundred and five", "seven"; undefined when no number word starts here. */
function readWords(s: string, i: number): NumberMatch | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  let end = i;
  let j = i;
  let lastWasTens = false;
  while (j >= 0 && j < s.length) {
    const { w, end: e } = wordAt(s, j);
    if (!w) break;
    if (w in SMALL && !(lastWasTens && SMALL[w]! >= 10) && !(seen && !lastWasTens && current % 100 !== 0)) {
      current += SMALL[w]!;
      lastWasTens = false;
    } else if (w in TENS && (!seen || current % 100 === 0)) {
      current += TENS[w]!;
      lastWasTens = true;
    } else if ((w === 'hundred' || w === 'thousand') && (seen || w === 'hundred')) {
      const mult = w === 'hundred' ? 100 : 1000;
      if (w === 'thousand') {
        total += (current || 1) * mult;
        current = 0;
      } else current = (current || 1) * mult;
      lastWasTens = false;
    } else if (w === 'a' && !seen) {
      // "a hundred"
      const k = nextWord(s, e);
      if (k < 0 || wordAt(s, k).w !== 'hundred') break;
      current = 1;
      j = k;
      continue;
    } else if (w === 'and' && seen && current >= 100) {
      const k = nextWord(s, e);
      if (k < 0) break;
      const nw = wordAt(s, k).w;
      if (!(nw in SMALL) && !(nw in TENS)) break;
      j = k;
      continue;
    } else break;
    seen = true;
    end = e;
    j = nextWord(s, e);
  }
  if (!seen) return undefined;
  let value = total + current;
  // "thirty five point five"
  const k = nextWord(s, end);
  if (k >= 0 && wordAt(s, k).w === 'point') {
    const k2 = nextWord(s, wordAt(s, k).end);
    if (k2 >= 0) {
      const { w, end: e } = wordAt(s, k2);
      if (w in SMALL && SMALL[w]! < 10) {
        value = Number(`${value}.${SMALL[w]}`);
        end = e;
      }
    }
  }
  return { value, end };
}

export function parseEnNumber(s: string, i: number): NumberMatch | undefined {
  if (i > 0 && isAlnum(s.charCodeAt(i - 1)) && !isDigit(s.charCodeAt(i))) return undefined;
  const c = s.charCodeAt(i);
  if (isDigit(c) || (c === 45 && isDigit(s.charCodeAt(i + 1)))) return readDigits(s, i);
  const { w, end } = wordAt(s, i);
  if (w === 'minus' || w === 'negative') {
    const k = nextWord(s, end);
    if (k < 0) return undefined;
    const n = parseEnNumber(s, k);
    return n ? { value: -n.value, end: n.end } : undefined;
  }
  if (w === 'half' || w === 'halfway') return { value: 50, end, percent: true };
  if (w === 'a') {
    const k = nextWord(s, end);
    if (k >= 0 && wordAt(s, k).w === 'half') return { value: 50, end: wordAt(s, k).end, percent: true };
    if (k >= 0 && wordAt(s, k).w === 'quarter') return { value: 25, end: wordAt(s, k).end, percent: true };
  }
  if (w in SMALL || w in TENS || w === 'a') return readWords(s, i);
  return undefined;
}

/** First letters of English number words (and "a half", "minus", "negative"): a cheap test before parsing. */
const EN_NUMBER_START = new Set('aefhmnostz'.split('').map((ch) => ch.charCodeAt(0)));
const isLower = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** The scanner's number reader for English text: digits and number words at a word start. */
export function enNumberAt(s: string, i: number): NumberMatch | undefined {
  const c = s.charCodeAt(i);
  if (isLower(c)) {
    if (!EN_NUMBER_START.has(c) || (i > 0 && isLower(s.charCodeAt(i - 1)))) return undefined;
    return parseEnNumber(s, i);
  }
  if (isDigit(c) || c === 45) return parseEnNumber(s, i);
  return undefined;
}
