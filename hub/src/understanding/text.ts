/**
 * Text normalisation: one pass that folds full-width forms, Chinese punctuation and case, drops apostrophes,
 * and squeezes spaces, while remembering where each normalised character came from (so free text such as a
 * navigation destination can be cut from the original, with its case).
 */
import type { Lang } from './contract.ts';

export interface Normalized {
  /** lower-case, half-width, single-spaced; clause punctuation is ',' '?' or '!' */
  text: string;
  /** index in the original text of each character of `text` */
  origin: number[];
  original: string;
  lang: Lang;
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

function foldChar(c: number): string {
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  if (c === 0x3000 || c === 9 || c === 10 || c === 13) return ' ';
  const f = FOLD[c];
  if (f !== undefined) return f;
  return String.fromCharCode(c);
}

/** Punctuation that separates clauses or asks, after folding. */
const CLAUSE_PUNCT = new Set([',', ';', '.', '!', '?', ':']);

export function normalize(original: string): Normalized {
  let lang: Lang = 'en';
  // first pass: fold characters
  const chars: string[] = [];
  const from: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const code = original.charCodeAt(i);
    if (isCjk(code)) lang = 'zh';
    const f = foldChar(code);
    for (const ch of f) {
      chars.push(ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch);
      from.push(i);
    }
  }
  // second pass: apostrophes, hyphens, punctuation and spaces
  let text = '';
  const origin: number[] = [];
  const push = (ch: string, at: number) => {
    if (ch === ' ') {
      if (text.length === 0 || text.endsWith(' ')) return;
    }
    text += ch;
    origin.push(at);
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const prev = chars[i - 1] ?? ' ';
    const next = chars[i + 1] ?? ' ';
    if (ch === "'") {
      // "car's" -> "car", "what's" -> "what", "don't" -> "dont", "kids' room" -> "kids room"
      if (next === 's' && !isAlnum((chars[i + 2] ?? ' ').charCodeAt(0)) && isLetter(prev.charCodeAt(0))) i++;
      continue;
    }
    if (ch === '-') {
      // minus before a number at a word start; otherwise a word joiner ("twenty-four", "drum-clean")
      if (isDigit(next.charCodeAt(0)) && !isAlnum(prev.charCodeAt(0))) push('-', from[i]!);
      else push(' ', from[i]!);
      continue;
    }
    if (ch === '.' && isDigit(prev.charCodeAt(0)) && isDigit(next.charCodeAt(0))) {
      push('.', from[i]!);
      continue;
    }
    if (CLAUSE_PUNCT.has(ch)) {
      if (text.endsWith(' ')) {
        text = text.slice(0, -1);
        origin.pop();
      }
      push(ch === '?' ? '?' : ch === '!' ? '!' : ',', from[i]!);
      push(' ', from[i]!);
      continue;
    }
    if (ch === '"' || ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === '~' || ch === '*') {
      push(' ', from[i]!);
      continue;
    }
    if (ch === ' ') {
      // spaces next to Chinese characters carry nothing ("打开 TV", "客厅 灯")
      const p = text.charCodeAt(text.length - 1);
      if (text.length > 0 && isCjk(p)) continue;
      let j = i + 1;
      while (chars[j] === ' ') j++;
      if (j < chars.length && isCjk(chars[j]!.charCodeAt(0))) continue;
      push(' ', from[i]!);
      continue;
    }
    push(ch, from[i]!);
  }
  if (text.endsWith(' ')) {
    text = text.slice(0, -1);
    origin.pop();
  }
  return { text, origin, original, lang };
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
