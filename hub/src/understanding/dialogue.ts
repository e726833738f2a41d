/**
 * Dialogue state as understanding sees it: the question the hub just asked ("Which one do you mean: ...?") and
 * how the next turn answers it. A turn that says no command of its own ("the kitchen one", 卧室的, 第二个, "both",
 * "the other one") picks among the devices offered; the original command then runs on them. The conversation
 * layer keeps the question for one turn and drops it when it expires (hub/src/conversation/dialogue.ts).
 */
import type { DeviceView } from './contract.ts';
import type { Compiled } from './compile.ts';
import type { Frame } from './frame.ts';
import type { What } from './interpret.ts';
import type { OptionField } from './lexicon/types.ts';

/** A question waiting for its answer; opaque to the hub, handed back on the next turn. */
export interface Question {
  kind: 'device';
  /** the devices offered, in the order they were said */
  devices: string[];
  /** what the asked command wanted done */
  what: What;
  delayMs?: number;
  /** how many devices the asked command counted ("打开两个灯"): a place with that many offered gives them all */
  count?: number;
}

/** "its fan speeds are low, medium, high": which value, for one device ("the second one", 最后一个) */
export interface ValueQuestion {
  kind: 'value';
  device: string;
  field: OptionField;
  options: string[];
  what: What;
}

const OPTION_FIELDS: ReadonlySet<string> = new Set(['mode', 'program', 'fanSpeed', 'input', 'app']);

export function readQuestion(x: unknown, c: Compiled): Question | ValueQuestion | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const q = x as Question | ValueQuestion;
  if (!q.what || typeof q.what !== 'object') return undefined;
  if (q.kind === 'value') {
    const ok = c.devices.has(q.device) && OPTION_FIELDS.has(q.field) && Array.isArray(q.options) && q.options.every((o) => typeof o === 'string');
    return ok ? q : undefined;
  }
  if (q.kind !== 'device' || !Array.isArray(q.devices)) return undefined;
  const devices = q.devices.filter((id) => typeof id === 'string' && c.devices.has(id));
  if (q.count !== undefined && !Number.isInteger(q.count)) return undefined;
  return devices.length ? { ...q, devices } : undefined;
}

/** The option an ordinal picks ("the second one", 第二个, "the last one"), as a frame value slot. */
export function pickValue(frames: readonly Frame[], q: ValueQuestion): Frame['values'][number] | undefined {
  const f = frames.length === 1 ? frames[0]! : undefined;
  if (!f || f.pick === undefined || f.pick === 0) return undefined;
  const id = f.pick > 0 ? q.options[f.pick - 1] : q.options[q.options.length - 1];
  return id === undefined ? undefined : [{ field: q.field, id }];
}

/** Names no command of its own: only targets, picks, "both", "too" (a fragment). */
export function isFragment(f: Frame): boolean {
  return (
    !f.acts.length && !f.values.length && !f.nums.length && !f.dirs.length && !f.colors.length && !f.whites.length &&
    !f.extreme && f.onoff === undefined && !f.question && !f.scenes.length && !f.qattrs.length && !f.attrs.length && !f.destination
  );
}

/** Says its own command but picks its targets only among the devices offered: "都关了", "turn them all off", "第二个打开". */
export function refersToOffered(f: Frame): boolean {
  return !f.devs.length && !f.types.length && !f.typeHints.length && !f.scenes.length && (f.all || f.pron || f.one || f.pick !== undefined || f.areas.length > 0) && !f.question;
}

export type Pick = { devices: DeviceView[] } | { again: DeviceView[] };

/**
 * Which of the offered devices the fragments pick: a named device (even one not offered: the user knows what they
 * want), an area, a device word, an ordinal, "the other one" (not the one the conversation is about), "both"/都.
 * Several offered devices left in one place give that place's main one ("the bedroom one": the bedroom light).
 */
export function pickAnswer(frames: readonly Frame[], q: Question, c: Compiled, memory: readonly string[]): Pick {
  const offered = q.devices.map((id) => c.devices.get(id)!).filter(Boolean);
  const picked: DeviceView[] = [];
  let left = offered;
  for (const f of frames) {
    if (f.devs.length) {
      picked.push(...f.devs.map((id) => c.devices.get(id)!).filter(Boolean));
      continue;
    }
    let pool = offered;
    const types = [...f.types.map((t) => t.type), ...f.typeHints];
    if (types.length) pool = pool.filter((d) => types.includes(d.type));
    if (f.areas.length) pool = pool.filter((d) => f.areas.includes(d.area));
    if (f.pick !== undefined) {
      if (f.pick > 0) pool = pool[f.pick - 1] ? [pool[f.pick - 1]!] : [];
      else if (f.pick < 0) pool = pool.length ? [pool[pool.length - 1]!] : [];
      else pool = pool.filter((d) => !memory.includes(d.id));
    }
    // "the bedside one", "the floor one": a word of an offered device's name
    const partial = !types.length && !f.areas.length && f.pick === undefined ? pool.filter((d) => nameHasWord(d, f.gaps)) : [];
    if (partial.length) pool = partial;
    const narrowed = types.length > 0 || f.areas.length > 0 || f.pick !== undefined || partial.length > 0;
    // "turn them all off", "都关了": every device offered
    if (!narrowed && f.pron && !f.all && offered.length > 1) return { again: offered };
    if (!narrowed && !f.all && !f.pron) return { again: offered };
    if (pool.length > 1 && !f.all && !f.types.some((t) => t.plural) && pool.length !== q.count) {
      const mains = pool.filter((d) => c.areaMains.has(d.id));
      if (f.areas.length && mains.length === 1) pool = mains;
      else {
        left = pool;
        continue;
      }
    }
    if (!pool.length) return { again: offered };
    // "both" when three were offered: which two is not said, so ask again
    if (f.allCount !== undefined && pool.length > f.allCount) return { again: pool };
    picked.push(...pool);
  }
  if (!picked.length) return { again: left };
  return { devices: [...new Map(picked.map((d) => [d.id, d])).values()] };
}

/** whether one of the words is a word of the device's names ("bedside" of "bedside lamp"; 床头 of 床头灯) */
function nameHasWord(d: DeviceView, words: readonly string[]): boolean {
  const names = Object.values(d.names).flat().map((n) => n.toLowerCase());
  return words.some((w) => {
    const word = w.trim().toLowerCase();
    if (!word) return false;
    return /[\u4e00-\u9fff]/.test(word) ? names.some((n) => n.includes(word)) : names.some((n) => n.split(/\s+/).includes(word));
  });
}
