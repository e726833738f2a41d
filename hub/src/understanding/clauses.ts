/**
 * Splits a token stream into clauses at punctuation, "and"/"then"/"然后"/"，", and at "再" where it starts a new
 * command ("打开电视再把灯关了", but not "再亮一点"). A clause that only names targets ("把灯和电视关了": "把灯")
 * joins the next one.
 */
import type { Meaning } from './lexicon/types.ts';
import type { Token } from './scan.ts';

const has = (t: Token | undefined, r: Meaning['r']): boolean => !!t && t.m.some((m) => m.r === r);
const TIME_UNITS = new Set(['minute', 'second', 'hour']);

export function isTime(t: Token | undefined): boolean {
  if (!t) return false;
  return t.m.some((m) => m.r === 'duration' || (m.r === 'num' && m.unit !== undefined && TIME_UNITS.has(m.unit)));
}

const COMMANDING: ReadonlySet<Meaning['r']> = new Set(['verb', 'onoff', 'dir', 'value', 'color', 'white', 'num', 'extreme', 'scene', 'q', 'yes', 'no']);
const TARGETING: ReadonlySet<Meaning['r']> = new Set(['dev', 'type', 'area', 'pron', 'all', 'node']);

const commands = (ts: readonly Token[]) => ts.some((t) => t.m.some((m) => COMMANDING.has(m.r)) && !has(t, 'filler'));
const targets = (ts: readonly Token[]) => ts.some((t) => t.m.some((m) => TARGETING.has(m.r)));

function isSeparator(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (!has(t, 'sep')) return false;
  // "五分钟之后": the time phrase owns 之后
  if (has(t, 'delayAfter') && isTime(tokens[i - 1])) return false;
  // "and" between two values of one command ("red and blue" is rare; "heat mode and 25 degrees" splits fine)
  return true;
}

export function splitClauses(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length) out.push(cur);
    cur = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isSeparator(tokens, i)) {
      flush();
      continue;
    }
    if (has(t, 'again') && cur.length > 0 && (commands(cur) || targets(cur)) && commands(tokens.slice(i + 1))) {
      // "再" in the middle starts the next command and keeps its "more" sense there
      flush();
    }
    cur.push(t);
  }
  flush();
  // a clause that only names targets belongs to the command after it
  const merged: Token[][] = [];
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    const next = out[i + 1];
    if (next && targets(c) && !commands(c) && commands(next) && !targets(next)) {
      out[i + 1] = [...c, ...next];
      continue;
    }
    if (next && targets(c) && !commands(c) && commands(next) && targets(next) && !hasVerb(next.slice(0, 1))) {
      // "把灯和电视关了": targets, then targets with the verb
      out[i + 1] = [...c, ...next];
      continue;
    }
    merged.push(c);
  }
  return merged;
}

function hasVerb(ts: readonly Token[]): boolean {
  return ts.some((t) => has(t, 'verb'));
}
