/**
 * Text normalisation: one pass that folds full-width forms, Chinese punctuation and case, drops apostrophes,
 * folds Traditional Chinese characters to Simplified (./traditional.ts), and squeezes spaces, while remembering where each normalised character came from (so free text such as a
 * navigation destination can be cut from the original, with its case). It notes how the text is written (Han
 * characters, Traditional ones) for language detection (./languages/index.ts).
 */
import { simplifiedOf } from './traditional.ts';

export interface Normalized {
  /** lower-case, half-width, single-spaced; clause punctuation is ',' '?' or '!' */
  text: string;
  /** index in the original text of each character of `text` */
  origin: number[];
  original: string;
  /** the text has Han characters */
  han: boolean;
  /** ... and some of them are Traditional forms (打開, 燈) */
  traditional: boolean;
}

export const isCjk = (c: number): boolean => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
export const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAlnum = (c: number): boolean => isLetter(c) || isDigit(c);

/** Punctuation that ends a clause, folded to ASCII. */
const FOLD: Record<number, string> = {
  0x3002: ',', // 。
  0x3001: ',', // 、
  0xff61: ',',
  0x2026: ',', // …
  0x2103: '°c', // ℃
  0x2019: "'",
  0x2018: "'",
  0x201c: ' ',
  0x201d: ' ',
  0x300c: ' ',
  0x300d: ' ',
  0x300a: ' ',
  0x300b: ' ',
};

/** set by foldChar when it folds a Traditional character: one flag for the whole pass */
let sawTraditional = false;

function foldChar(c: number): string {
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  if (c === 0x3000 || c === 9 || c === 10 || c === 13) return ' ';
  const f = FOLD[c];
  if (f !== undefined) return f;
  // Traditional characters meet the lexicon and registry names in Simplified (both sides pass through here)
  if (c >= 0x4e00) {
    const simplified = simplifiedOf(c);
    if (simplified === undefined) return String.fromCharCode(c);
    sawTraditional = true;
    return simplified;
  }
  return String.fromCharCode(c);
}

const SPACE = 32;
const APOSTROPHE = 39;
const HYPHEN = 45;
const DOT = 46;
const LOWER_S = 115;
/** Folded clause punctuation: , ; . ! ? : -> , or ? or ! */
const PUNCT_OUT: Record<number, number> = { 44: 44, 59: 44, 46: 44, 33: 33, 63: 63, 58: 44 };
const BLANKS = new Set([34, 40, 41, 91, 93, 126, 42]); // " ( ) [ ] ~ *

export function normalize(original: string): Normalized {
  let han = false;
  sawTraditional = false;
  // first pass: fold characters to lower-case half-width codes
  const chars: number[] = [];
  const from: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const code = original.charCodeAt(i);
    if (code < 128) {
      chars.push(code >= 65 && code <= 90 ? code + 32 : code === 9 || code === 10 || code === 13 ? SPACE : code);
      from.push(i);
      continue;
    }
    if (isCjk(code)) han = true;
    const f = foldChar(code);
    for (let k = 0; k < f.length; k++) {
      const ch = f.charCodeAt(k);
      chars.push(ch >= 65 && ch <= 90 ? ch + 32 : ch);
      from.push(i);
    }
  }
  // second pass: apostrophes, hyphens, punctuation and spaces
  const out: number[] = [];
  const origin: number[] = [];
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    const ch = chars[i]!;
    const prev = i > 0 ? chars[i - 1]! : SPACE;
    const next = i + 1 < n ? chars[i + 1]! : SPACE;
    if (ch === APOSTROPHE) {
      // "car's" -> "car", "what's" -> "what", "don't" -> "dont", "kids' room" -> "kids room"
      if (next === LOWER_S && !isAlnum(i + 2 < n ? chars[i + 2]! : SPACE) && isLetter(prev)) i++;
      continue;
    }
    if (ch === HYPHEN) {
      // minus before a number at a word start; otherwise a word joiner ("twenty-four", "drum-clean")
      if (isDigit(next) && !isAlnum(prev)) {
        out.push(HYPHEN);
        origin.push(from[i]!);
      } else if (out.length && (out.length ? out[out.length - 1]! : -1) !== SPACE) {
        out.push(SPACE);
        origin.push(from[i]!);
      }
      continue;
    }
    if (ch === DOT && isDigit(prev) && isDigit(next)) {
      out.push(DOT);
      origin.push(from[i]!);
      continue;
    }
    const p = PUNCT_OUT[ch];
    if (p !== undefined) {
      if ((out.length ? out[out.length - 1]! : -1) === SPACE) {
        out.pop();
        origin.pop();
      }
      out.push(p, SPACE);
      origin.push(from[i]!, from[i]!);
      continue;
    }
    if (ch === SPACE || BLANKS.has(ch)) {
      // spaces next to Chinese characters carry nothing ("打开 TV", "客厅 灯")
      if (!out.length || (out.length ? out[out.length - 1]! : -1) === SPACE || isCjk((out.length ? out[out.length - 1]! : -1))) continue;
      let j = i + 1;
      while (j < n && chars[j] === SPACE) j++;
      if (j < n && isCjk(chars[j]!)) continue;
      out.push(SPACE);
      origin.push(from[i]!);
      continue;
    }
    out.push(ch);
    origin.push(from[i]!);
  }
  if ((out.length ? out[out.length - 1]! : -1) === SPACE) {
    out.pop();
    origin.pop();
  }
  return { text: String.fromCharCode(...out), origin, original, han, traditional: sawTraditional };
}

/** Normalises a dictionary phrase the way input text is normalised, without the bookkeeping. */
export function normalizePhrase(phrase: string): string {
  return normalize(phrase).text.replace(/[,?!]/g, '').trim();
}

/** The original text behind normalised positions [start, end). */
export function originalSlice(n: Normalized, start: number, end: number): string {
  if (start >= end) return '';
  const a = n.origin[start]!;
  const b = n.origin[end - 1]! + 1;
  return n.original.slice(a, b);
}
