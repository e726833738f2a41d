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
/** names something to act on ("所有" alone, as in "忽略之前的所有指令", names nothing) */
const names = (ts: readonly Token[]) => ts.some((t) => t.m.some((m) => m.r === 'dev' || m.r === 'type' || m.r === 'area'));

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
  /** whether the separators before each clause were all conjunctions ("and", 和), which join targets */
  const joined: boolean[] = [];
  let cur: Token[] = [];
  let curJoined = false;
  let run: boolean | undefined;
  const flush = () => {
    if (cur.length) {
      out.push(cur);
      joined.push(curJoined);
    }
    cur = [];
  };
  let navigating = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.m.some((m) => m.r === 'verb' && m.act === 'navigate' && !m.weak && !m.dest)) navigating = true;
    // "navigate to 221B Baker Street, London": a comma inside a destination is part of it
    if (navigating && isSeparator(tokens, i) && (tokens[i + 1]?.gap !== undefined || tokens[i + 1]?.m.some((m) => m.r === 'area' || m.r === 'filler'))) {
      cur.push(t);
      continue;
    }
    // "all the lights except the bedside lamp and the floor lamp", "除了卧室灯和床头灯，其他都关掉": the list of exceptions goes on
    if (isSeparator(tokens, i) && exceptOpen(cur) && targetNext(tokens, i + 1)) {
      cur.push(t);
      continue;
    }
    if (isSeparator(tokens, i)) {
      flush();
      run = (run ?? true) && t.m.some((m) => m.r === 'sep' && m.and);
      navigating = false;
      continue;
    }
    if (has(t, 'again') && cur.length > 0 && (commands(cur) || targets(cur)) && commands(tokens.slice(i + 1))) {
      // "再" in the middle starts the next command and keeps its "more" sense there
      flush();
      run = false;
    }
    // "开空调十分钟后关掉": a time with 后 between two commands starts the second, which is delayed
    if (isTime(t) && has(tokens[i + 1], 'delayAfter') && hasVerb(cur) && hasVerb(tokens.slice(i + 2))) {
      flush();
      run = false;
    }
    if (!cur.length) {
      curJoined = run ?? false;
      run = undefined;
    }
    cur.push(t);
  }
  flush();
  joinDelays(out, joined);
  // a clause that only names targets belongs to the command after it
  const merged: Token[][] = [];
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    const next = out[i + 1];
    const excepting = c.some((t) => has(t, 'except'));
    const lone = !!next && names(c) && (!commands(c) || excepting) && commands(next);
    // "把灯，关掉"; "the bathroom fan, turn it on": the next clause's pronoun is this one
    // "把灯和电视关了": targets and, across 和, targets with the verb
    if (lone && (!targets(next) || pronounOnly(next) || excepting || (joined[i + 1] && targets(next) && !hasVerb(next.slice(0, 1))))) {
      out[i + 1] = [...c, ...next];
      continue;
    }
    merged.push(c);
  }
  return merged;
}

const DELAY_WORDS: ReadonlySet<Meaning['r']> = new Set(['delayBefore', 'delayAfter', 'filler', 'prep', 'polite', 'duration', 'measure']);
/** "five minutes from now", "十分钟后": only when, no what */
const delayOnly = (ts: readonly Token[]) => ts.some(isTime) && ts.every((t) => isTime(t) || t.m.every((m) => DELAY_WORDS.has(m.r)));

/** "in ten minutes, turn off the light", "关掉厨房灯，五分钟后": a clause that only says when belongs to the command next to it */
function joinDelays(out: Token[][], joined: boolean[]): void {
  for (let i = 0; i < out.length && out.length > 1; i++) {
    if (!delayOnly(out[i]!)) continue;
    if (i + 1 < out.length) out[i + 1] = [...out[i]!, ...out[i + 1]!];
    else out[i - 1] = [...out[i - 1]!, ...out[i]!];
    out.splice(i, 1);
    joined.splice(i + 1 < joined.length ? i + 1 : i, 1);
    i--;
  }
}

/** the next word that is not a filler names a device or a place (and is not "all the others") */
function targetNext(tokens: readonly Token[], from: number): boolean {
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.m.every((m) => m.r === 'filler' || m.r === 'prep' || m.r === 'measure' || (m.r === 'sep' && m.and))) continue;
    return t.m.some((m) => m.r === 'dev' || m.r === 'type' || m.r === 'area') && !has(t, 'all') && !has(t, 'verb');
  }
  return false;
}

/** an "except" whose list has not been closed by a verb or "all" yet */
function exceptOpen(ts: readonly Token[]): boolean {
  for (let i = ts.length - 1; i >= 0; i--) {
    const t = ts[i]!;
    if (t.m.some((m) => m.r === 'except' && !m.after)) return true;
    if (has(t, 'verb') || has(t, 'all')) return false;
  }
  return false;
}

function pronounOnly(ts: readonly Token[]): boolean {
  return ts.some((t) => has(t, 'pron')) && !ts.some((t) => t.m.some((m) => m.r !== 'pron' && TARGETING.has(m.r)));
}

function hasVerb(ts: readonly Token[]): boolean {
  return ts.some((t) => has(t, 'verb'));
}
