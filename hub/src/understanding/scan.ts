/**
 * Turns normalised text into tokens: at each position the longest dictionary phrase or number wins; what
 * neither knows becomes a `gap` (an unknown word, or a run of unknown Chinese characters). A number absorbs the
 * unit after it ("24度", "5 minutes", "40 %").
 */
import type { Compiled } from './compile.ts';
import type { Meaning, Unit } from './lexicon/types.ts';
import type { Normalized } from './text.ts';
import type { Language } from './languages/types.ts';

// character classes, local to the hot loop
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isCjk = (c: number): boolean => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
import { boundaryAfter, type TrieNode } from './trie.ts';

export interface Token {
  /** every meaning the phrase has; the clause reader picks one */
  m: Meaning[];
  /** span in the normalised text */
  s: number;
  e: number;
  /** for gaps: the unknown text */
  gap?: string;
}

const PUNCT: Record<string, Meaning[]> = {
  ',': [{ r: 'sep' }],
  '!': [{ r: 'sep' }],
  '?': [{ r: 'q', mark: true }],
};

/** Cost of a token in the segmentation: fewer tokens win; among equals, names of the home and long phrases. */
const ENTITY_BONUS = 0.05;
const GAP_COST = 2.2;
const entityCache = new WeakMap<readonly Meaning[], boolean>();
function isEntity(ms: readonly Meaning[]): boolean {
  let v = entityCache.get(ms);
  if (v === undefined) {
    v = ms.some((m) => m.r === 'dev' || m.r === 'area' || m.r === 'scene');
    entityCache.set(ms, v);
  }
  return v;
}

/** A token may start here: not inside a word or a number. */
function canStart(s: string, i: number): boolean {
  if (i === 0) return true;
  const a = s.charCodeAt(i - 1);
  const b = s.charCodeAt(i);
  return !((isLetter(a) && isLetter(b)) || (isDigit(a) && isDigit(b)));
}

interface Choice {
  end: number;
  m: Meaning[];
  gap?: boolean;
}

/**
 * Segments the text with the fewest tokens (dynamic programming from the end), so "打开门锁" reads 打开 + 门锁 rather
 * than 打开门 + 锁, and "一点五" is a number while "一点" is "a bit".
 */
export function scan(n: Normalized, c: Compiled, language: Language): Token[] {
  // the language's number reader, chosen once for the whole text
  const numberAt = language.numberAt;
  const s = n.text;
  const len = s.length;
  const best = new Float64Array(len + 1);
  const choiceEnd = new Int32Array(len + 1);
  const choiceGap = new Uint8Array(len + 1);
  const choiceVals: (Meaning[] | undefined)[] = new Array(len + 1);
  const root = c.trie.root;
  for (let i = len - 1; i >= 0; i--) {
    const ch = s[i]!;
    if (ch === ' ') {
      best[i] = best[i + 1]!;
      choiceEnd[i] = 0;
      continue;
    }
    const p = PUNCT[ch];
    if (p) {
      best[i] = best[i + 1]!;
      choiceEnd[i] = i + 1;
      choiceVals[i] = p;
      choiceGap[i] = 0;
      continue;
    }
    let bestCost = Infinity;
    let bestEnd = 0;
    let bestVals: Meaning[] | undefined;
    let gap = 0;
    if (canStart(s, i)) {
      // every phrase of the trie that starts here
      let node: TrieNode<Meaning> | undefined = root;
      for (let j = i; j < len; j++) {
        node = node.next.get(s.charCodeAt(j));
        if (!node) break;
        if (node.values && boundaryAfter(s, j)) {
          const l = j + 1 - i;
          const cost = 1 - 0.0005 * l * l - (isEntity(node.values) ? ENTITY_BONUS : 0) + best[j + 1]!;
          if (cost < bestCost) {
            bestCost = cost;
            bestEnd = j + 1;
            bestVals = node.values;
          }
        }
      }
      const num = numberAt(s, i);
      if (num) {
        const l = num.end - i;
        const cost = 0.99 - 0.0005 * l * l + best[num.end]!;
        if (cost < bestCost) {
          bestCost = cost;
          bestEnd = num.end;
          bestVals = [num.percent ? { r: 'num', value: num.value, unit: 'percent', percent: true } : { r: 'num', value: num.value }];
        }
      }
      let e = i + 1;
      if (isLetter(s.charCodeAt(i)) || isDigit(s.charCodeAt(i))) {
        while (e < len && (isLetter(s.charCodeAt(e)) || isDigit(s.charCodeAt(e)))) e++;
      }
      const cost = GAP_COST + best[e]!;
      if (cost < bestCost) {
        bestCost = cost;
        bestEnd = e;
        bestVals = undefined;
        gap = 1;
      }
    }
    best[i] = bestCost;
    choiceEnd[i] = bestEnd;
    choiceVals[i] = bestVals;
    choiceGap[i] = gap;
  }
  const out: Token[] = [];
  for (let i = 0; i < len; ) {
    const ch: Choice | undefined = choiceEnd[i]
      ? choiceGap[i]
        ? { end: choiceEnd[i]!, m: [], gap: true }
        : { end: choiceEnd[i]!, m: choiceVals[i]! }
      : undefined;
    if (!ch) {
      i++;
      continue;
    }
    if (ch.gap) {
      const last = out[out.length - 1];
      const joinable = last?.gap !== undefined && (last.e === i || (s[i - 1] === ' ' && last.e === i - 1));
      if (last && joinable && isCjk(s.charCodeAt(i)) === isCjk(s.charCodeAt(last.s))) {
        last.e = ch.end;
        last.gap = s.slice(last.s, ch.end);
      } else out.push({ m: [], s: i, e: ch.end, gap: s.slice(i, ch.end) });
    } else {
      out.push({ m: ch.m, s: i, e: ch.end });
      if (ch.m === PUNCT['?']) out.push({ m: [{ r: 'sep' }], s: i, e: i + 1 });
      // "门锁上": the device 门锁 and the verb 锁上 share a character
      const overlap = ch.m.some((m) => m.r === 'dev') ? verbInsideName(s, i, ch.end, ch.m, c) : undefined;
      if (overlap) {
        let j = ch.end;
        while (j < overlap.end && choiceEnd[j] && !choiceGap[j]) j = choiceEnd[j]!;
        if (j === overlap.end) {
          out.push({ m: overlap.values, s: ch.end, e: overlap.end });
          i = overlap.end;
          continue;
        }
      }
    }
    i = ch.end;
  }
  return attachUnits(out);
}

const SPLIT_FOR: ReadonlySet<Meaning['r']> = new Set(['verb', 'q', 'attr']);

/**
 * "门锁上" is the device 门锁 and the verb 锁上 sharing a character; "门锁了吗" asks 锁了吗. When a device name's last
 * character starts a longer verb or question, both are read.
 */
function verbInsideName(s: string, i: number, end: number, values: Meaning[], c: Compiled) {
  if (end - i < 2 || !isCjk(s.charCodeAt(end - 1)) || !values.some((m) => m.r === 'dev')) return undefined;
  const after = c.trie.longest(s, end - 1);
  if (!after || after.end <= end || !after.values.some((m) => SPLIT_FOR.has(m.r))) return undefined;
  return after;
}

const unitOf = (t: Token | undefined): Unit | undefined => {
  const u = t?.m.find((m) => m.r === 'unit');
  return u && u.r === 'unit' ? u.unit : undefined;
};

/** "24 degrees" -> one number token with its unit; "一个小时" skips the measure word. */
function attachUnits(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const num = t.m[0];
    if (num?.r === 'num' && !num.unit) {
      let j = i + 1;
      if (tokens[j]?.m.some((m) => m.r === 'filler') && unitOf(tokens[j + 1]) === 'hour') j++;
      const unit = unitOf(tokens[j]);
      if (unit) {
        out.push({ m: [{ ...num, unit }], s: t.s, e: tokens[j]!.e });
        i = j;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}
