/**
 * Reads one clause's tokens into a frame of slots (what to do, to what, with which value, when), choosing one
 * meaning for words that have several ("fan" the device or the mode, "高" higher or high speed, "charge" the
 * verb or the battery) from the rest of the clause.
 */
import type { Act, Attr, Meaning } from './lexicon/types.ts';
import { emptyFrame, type Frame } from './frame-slots.ts';

export type { ActSlot, Frame } from './frame-slots.ts';
import type { Token } from './scan.ts';
import { isTime } from './clauses.ts';
import { originalSlice, type Normalized } from './text.ts';
import { splitDirections } from './split-directions.ts';
import type { Language } from './languages/types.ts';

const ENTITY: ReadonlySet<Meaning['r']> = new Set(['dev', 'area', 'scene', 'node']);

const MS: Record<string, number> = { minute: 60_000, second: 1000, hour: 3_600_000 };
const NEUTRAL: ReadonlySet<Meaning['r']> = new Set(['filler', 'polite', 'prep', 'yes', 'no', 'sep', 'q', 'measure', 'lasting']);

const find = <R extends Meaning['r']>(t: Token | undefined, r: R): Extract<Meaning, { r: R }> | undefined =>
  t?.m.find((m) => m.r === r) as Extract<Meaning, { r: R }> | undefined;
const has = (t: Token | undefined, r: Meaning['r']) => !!t && t.m.some((m) => m.r === r);


/** a comma inside a list of exceptions: the next token still names a target to leave out */
const n1 = (t: Token | undefined) => !!t && t.m.some((m) => m.r === 'dev' || m.r === 'type' || m.r === 'area') && !has(t, 'all');

/**
 * The tokens an exclusion covers: after "except"/"but"/除了 up to the next verb, "all" or separator ("turn off
 * everything except the TV", "除了卧室灯其他灯都关掉"), or before 以外/之外 ("卧室灯以外的灯都关掉").
 */
function exceptedTokens(tokens: readonly Token[]): Set<number> {
  const out = new Set<number>();
  let on = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const ex = find(t, 'except');
    if (ex?.after) {
      for (let j = i - 1; j >= 0 && !has(tokens[j], 'verb') && !has(tokens[j], 'all'); j--) out.add(j);
      out.add(i);
      on = false;
      continue;
    }
    if (ex) {
      on = true;
      out.add(i);
      continue;
    }
    if (on && (has(t, 'verb') || has(t, 'all') || has(t, 'onoff') || (has(t, 'sep') && !find(t, 'sep')!.and && !n1(tokens[i + 1])))) on = false;
    if (on) out.add(i);
  }
  return out;
}

/** a device word, name or pronoun after 的: "卧室的灯" names its noun */
function nounAfter(tokens: readonly Token[], i: number): boolean {
  return tokens.slice(i + 1).some((t) => t.gap !== undefined || t.m.some((m) => m.r === 'type' || m.r === 'dev' || m.r === 'pron' || m.r === 'attr' || m.r === 'near'));
}

/** "the kitchen one", "the bedroom ones": "one" after a place or a determiner stands for a device, not the number 1 */
function isPronounOne(tokens: readonly Token[], i: number, n: Normalized): boolean {
  const t = tokens[i]!;
  const word = n.text.slice(t.s, t.e);
  if (word !== 'one' && word !== 'ones') return false;
  const prev = tokens[i - 1];
  return !!prev && (has(prev, 'area') || has(prev, 'filler') || has(prev, 'pick') || has(prev, 'all') || prev.gap !== undefined || has(prev, 'also'));
}

export function readFrame(tokens: readonly Token[], n: Normalized, language: Language): Frame {
  const { possessive, unknownPlaceAfterPreposition } = language.grammar;
  const text = tokens.length ? n.text.slice(tokens[0]!.s, tokens[tokens.length - 1]!.e) : '';
  const f = emptyFrame(text);
  const excepted = tokens.some((t) => has(t, 'except')) ? exceptedTokens(tokens) : undefined;
  const counted = excepted ? tokens.filter((_, i) => !excepted.has(i)) : tokens;
  // "所有窗帘", "all the curtains": a device name that is also a device word means every such device; a plural
  // that is itself a device's name ("the curtains", "the windows") still names that device
  const many = counted.some((t) => has(t, 'all') || (t.m.some((m) => m.r === 'type' && m.plural) && !has(t, 'dev')));
  const isDev = (t: Token) => has(t, 'dev') && !(many && has(t, 'type'));
  const hasDev = counted.some(isDev);
  const hasEntity = counted.some((t) => t.m.some((m) => m.r === 'dev' || m.r === 'type'));
  const hasSetVerb = tokens.some((t) => t.m.some((m) => m.r === 'verb' && m.act === 'set'));
  const asks = tokens.some((t) => has(t, 'q'));
  let yesNoOnly = true;
  let sawTo = false;
  let sawContent = false;
  const split = splitDirections(tokens, n, language);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (split.particles.has(i)) continue;
    if (excepted?.has(i)) {
      readExcepted(t, f);
      continue;
    }
    const near = find(t, 'near');
    if (near) {
      f.near = { word: near.word, areas: near.areas };
      continue;
    }
    if (has(t, 'also')) {
      f.also = true;
      continue;
    }
    const pick = find(t, 'pick');
    if (pick && !t.m.some((m) => m.r === 'dev' || m.r === 'area')) {
      f.pick = pick.index;
      yesNoOnly = false;
      continue;
    }
    // "卧室的", "还有卧室的", "卧室的也关掉": a place and 的 with no noun after it stands for a device, as "the bedroom one"
    if (possessive && has(t, 'prep') && n.text.slice(t.s, t.e) === possessive && has(tokens[i - 1], 'area') && !nounAfter(tokens, i)) {
      f.one = true;
      continue;
    }
    if ((find(t, 'num') || t.gap !== undefined) && isPronounOne(tokens, i, n)) {
      f.one = true;
      // "the bedroom ones": every such device there
      if (n.text.slice(t.s, t.e) === 'ones') f.all = true;
      yesNoOnly = false;
      continue;
    }
    const splitDir = split.heads.get(i);
    if (splitDir) {
      f.dirs.push(splitDir);
      yesNoOnly = false;
      sawContent = true;
      continue;
    }
    if (t.gap !== undefined) {
      f.gaps.push(t.gap);
      yesNoOnly = false;
      // "garage light", "车库的灯": an unknown word naming a device we do not have
      const after = has(next, 'prep') && !has(next, 'dev') ? tokens[i + 2] : next;
      const before = tokens[i - 1];
      const beforeThe = has(before, 'filler') ? tokens[i - 2] : before;
      const noArea = !tokens.some((x) => has(x, 'area'));
      // "the lights in the garage": an unknown place after "in"
      if (unknownPlaceAfterPreposition && noArea && has(beforeThe, 'prep') && !after?.m.some((m) => m.r === 'type' || m.r === 'dev')) {
        f.unknownName = t.gap;
      }
      // "车库灯" reads 车 (an area) + 库 + 灯, "地下室" 地 + 下 + 室: the unknown name starts where the unknown run does
      let start = t.s;
      const swallowed: string[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const x = tokens[j]!;
        if (x.e !== start || !(x.gap !== undefined || x.m.every((m) => m.r === 'filler' || m.r === 'area'))) break;
        const a = find(x, 'area');
        if (a) swallowed.push(a.id);
        start = x.s;
      }
      const otherArea = tokens.some((x) => (x.e <= start || x.s >= t.e) && has(x, 'area'));
      // "the basement heater", "车库空调": an unknown place before a device's name
      if (!otherArea && next && next.s <= t.e + 1 && has(next, 'dev')) f.unknownName = n.text.slice(start, next.e);
      else if (has(after, 'type') && !has(after, 'dev')) f.unknownName = n.text.slice(start, after!.e);
      // the area written into the unknown name is not where to act
      if (f.unknownName && swallowed.length) f.areas = f.areas.filter((a) => !swallowed.includes(a));
      continue;
    }
    const yesNoWord = t.m.some((m) => m.r === 'yes' || m.r === 'no');
    if (!yesNoWord && !t.m.every((m) => NEUTRAL.has(m.r) && !(m.r === 'q' && m.attr))) yesNoOnly = false;
    if (has(t, 'yes')) f.yes = true;
    if (has(t, 'no')) f.no = true;

    // time: "in 5 minutes", "五分钟后", "半小时后"
    if (isTime(t)) {
      const num = find(t, 'num');
      const dur = find(t, 'duration');
      const ms = dur ? dur.ms : num!.value * MS[num!.unit!]!;
      if (lastsFor(tokens, i)) f.forMs = (f.forMs ?? 0) + ms;
      else f.delayMs = (f.delayMs ?? 0) + ms;
      sawContent = true;
      continue;
    }
    // entities first: a device name wins over its other meanings, except a verb riding along ("充电")
    if (isDev(t)) {
      f.devs.push(...find(t, 'dev')!.ids);
      const v = find(t, 'verb');
      if (v) f.acts.push({ act: v.act, soft: true });
      // "电量" names the car battery and asks for its level
      const a = find(t, 'attr');
      if (a) f.attrs.push(a.attr);
      sawContent = true;
      continue;
    }
    const sceneHint = find(t, 'scene');
    if (sceneHint?.hint && t.m.some((m) => m.r !== 'scene') && (hasEntity || tokens.some((x) => has(x, 'verb') && !has(x, 'scene')))) {
      // "离家" is a scene's head and the fridge's vacation mode: with a device named, it is the mode
    } else if (has(t, 'area') || has(t, 'scene') || has(t, 'node')) {
      const a = find(t, 'area');
      if (a) f.areas.push(a.id);
      const s = find(t, 'scene');
      if (s) f.scenes.push(s.id);
      const nd = find(t, 'node');
      if (nd) f.nodes.push(nd.id);
      sawContent = true;
      continue;
    }
    const num = find(t, 'num');
    if (num && !num.unit && countsDevices(tokens, i, num.value)) {
      // "卧室两个灯", "the two bedroom lights": how many devices are meant, not a value to set
      f.allCount = num.value;
      sawContent = true;
      continue;
    }
    if (num) {
      f.nums.push({ value: num.value, ...(num.unit ? { unit: num.unit } : {}) });
      sawContent = true;
      continue;
    }
    // navigation: everything after the verb is the destination
    const nav = t.m.find((m) => m.r === 'verb' && m.act === 'navigate') as Extract<Meaning, { r: 'verb' }> | undefined;
    if (nav?.dest) {
      f.acts.push({ act: 'navigate' });
      f.destination = nav.dest;
      sawContent = true;
      continue;
    }
    if (nav && i + 1 < tokens.length) {
      const rest = tokens.slice(i + 1);
      const restHasThings = rest.some((x) => x.m.some((m) => ENTITY.has(m.r) || m.r === 'value' || m.r === 'num'));
      if (!nav.weak || (!restHasThings && f.acts.length === 0 && !hasDev)) {
        // free text after a navigation verb, without the words around it
        const dest = language.trimDestination(originalSlice(n, t.e, tokens[tokens.length - 1]!.e));
        if (dest) {
          f.acts.push({ act: 'navigate' });
          f.destination = dest;
          sawContent = true;
          break;
        }
      }
    }
    const q = find(t, 'q');
    if (q?.mark) {
      f.questionMark = true;
      continue;
    }
    if (q) {
      // English "is/are/does" asks only at the start of a clause
      const leadOk = !q.lead || tokens.slice(0, i).every((x) => x.m.every((m) => NEUTRAL.has(m.r)));
      if (leadOk) {
        f.question = true;
        if (q.which) f.which = true;
        if (q.quant) f.quant ??= q.quant;
        if (q.is !== undefined) f.askedIs = q.is;
        if (q.attr) {
          f.qattrs.push(q.attr);
          sawContent = true;
        }
      }
      if (leadOk || t.m.every((m) => m.r === 'q')) continue;
    }
    // "is the phone battery low", "which devices are connected", 手机电量低吗: a sensor's state, in a question only
    const state = asks ? find(t, 'state') : undefined;
    if (state) {
      f.states.push(state.id);
      sawContent = true;
      // a word that also means something else ("low" is a fan speed) keeps that meaning too: the query decides
      if (t.m.every((m) => m.r === 'state' || NEUTRAL.has(m.r))) continue;
    }
    const type = find(t, 'type');
    const value = t.m.filter((m) => m.r === 'value') as Extract<Meaning, { r: 'value' }>[];
    const attr = find(t, 'attr');
    const verb = t.m.find((m) => m.r === 'verb' && !(m.act === 'navigate')) as Extract<Meaning, { r: 'verb' }> | undefined;
    const dir = find(t, 'dir');
    const nextIsMode = !!next && next.m.some((m) => m.r === 'attr' && (m.attr === 'mode' || m.attr === 'program'));
    // "把前门的锁打开": after 的, with another verb in the clause, 锁 is the lock
    const possessed =
      !!possessive && i > 0 && n.text.slice(tokens[i - 1]!.s, tokens[i - 1]!.e) === possessive && tokens.some((x, j) => j !== i && x.m.some((m) => m.r === 'verb'));
    // "unlock the lock", "把锁打开": with a verb that is only a verb elsewhere in the clause, the word is the device
    const verbElsewhere = tokens.some((x, j) => j !== i && !excepted?.has(j) && has(x, 'verb') && !has(x, 'type') && !has(x, 'dev'));
    if (type && verb && !f.question && !possessed && !verbElsewhere) {
      // "锁" locks; "charge the car": with another target named, the word is the verb
      f.acts.push({ act: verb.act, ...(verb.type ? { type: verb.type } : {}) });
      if (verb.type) f.typeHints.push(verb.type);
      if (!hasEntityElsewhere(tokens, i)) f.types.push({ type: type.type, plural: !!type.plural });
      sawContent = true;
      continue;
    }
    // "开关": a kind of device (a switch) and a device's power switch; said with another device, it is that one's
    if (type && attr && !value.length && tokens.some((x, j) => j !== i && x.m.some((m) => m.r === 'dev' || (m.r === 'type' && !has(x, 'attr'))))) {
      f.attrs.push(attr.attr);
      sawContent = true;
      continue;
    }
    if (type && !(value.length && (hasDev || nextIsMode))) {
      if (!hasDev) f.types.push({ type: type.type, plural: !!type.plural });
      if (attr) f.attrs.push(attr.attr);
      sawContent = true;
      continue;
    }
    // "HDMI 4": a word that names the first of numbered options ("hdmi" is hdmi1) takes the number said right after
    // it as part of the option's name, not as a value of another field
    const numbered = numberedOption(t, next, n, value);
    if (numbered) {
      f.values.push(numbered);
      sawContent = true;
      i++;
      continue;
    }
    if (value.length && (!dir || sawTo || nextIsMode) && !(attr && !nextIsMode && !sawTo && hasDev && !isOptionAttrOnly(attr.attr))) {
      f.values.push(value.map((v) => ({ field: v.field, id: v.id })));
      // "cool" is a mode and a white, "full" a speed and the maximum: keep both, the device decides
      const white = find(t, 'white');
      if (white) f.whites.push({ kelvin: white.kelvin, name: white.name });
      const extreme = find(t, 'extreme');
      if (extreme) f.extreme = extreme.which;
      // "快洗一下": a program said as a way of washing also runs it, unless the clause only picks it ("调到快洗", "快洗模式")
      if (verb && !nextIsMode && !hasSetVerb) {
        f.acts.push({ act: verb.act, soft: true });
        if (verb.type) f.typeHints.push(verb.type);
      }
      sawContent = true;
      continue;
    }
    // "set the washer to wool wash": after a program picked by a set verb, "wash" is the program's name, not a start
    if (verb?.act === 'wash' && hasSetVerb && tokens[i - 1]?.m.some((m) => m.r === 'value' && m.field === 'program')) continue;
    if (verb && !(f.question && (attr || type))) {
      const alts = otherActs(t, verb);
      f.acts.push({
        act: verb.act, ...(verb.to ? { to: true } : {}), ...(verb.weak ? { weak: true } : {}), ...(verb.type ? { type: verb.type } : {}), ...(alts ? { alts } : {}),
      });
      if (dir) f.dirs.push(dir.attr ? { sign: dir.sign, attr: dir.attr } : { sign: dir.sign });
      if (verb.type) f.typeHints.push(verb.type);
      if (verb.to) {
        f.setTo = true;
        sawTo = true;
      }
      sawContent = true;
      continue;
    }
    if (dir) {
      f.dirs.push(dir.attr ? { sign: dir.sign, attr: dir.attr } : { sign: dir.sign });
      sawContent = true;
      continue;
    }
    if (attr) {
      f.attrs.push(attr.attr);
      if (attr.type && !hasEntity) f.typeHints.push(attr.type);
      sawContent = true;
      continue;
    }
    if (type) {
      if (!hasDev) f.types.push({ type: type.type, plural: !!type.plural });
      sawContent = true;
      continue;
    }
    if (value.length) {
      f.values.push(value.map((v) => ({ field: v.field, id: v.id })));
      sawContent = true;
      continue;
    }
    const color = find(t, 'color');
    const white = find(t, 'white');
    if (color || white) {
      if (color) f.colors.push({ hue: color.hue, saturation: color.saturation, name: color.name });
      if (white) f.whites.push({ kelvin: white.kelvin, name: white.name });
      sawContent = true;
      continue;
    }
    const oo = find(t, 'onoff');
    if (oo) {
      // "on the TV" is a preposition; "turn the light on" is a particle
      const after = has(next, 'filler') ? tokens[i + 2] : next;
      const isPrep = oo.on && !!after && after.m.some((m) => ENTITY.has(m.r) || m.r === 'type' || m.r === 'value' || m.r === 'pron');
      if (!isPrep) {
        f.onoff = oo.on;
        sawContent = true;
      }
      continue;
    }
    if (has(t, 'amount')) f.amount = find(t, 'amount')!.size;
    else if (has(t, 'extreme')) {
      f.extreme = find(t, 'extreme')!.which;
      sawContent = true;
    } else if (has(t, 'pron')) f.pron = true;
    else if (has(t, 'all')) {
      f.all = true;
      const count = find(t, 'all')!.count;
      if (count !== undefined) f.allCount = count;
    }
    else if (has(t, 'polite')) f.polite = true;
    else if (has(t, 'again')) f.again = true;
    else if (has(t, 'to')) {
      f.setTo = true;
      sawTo = true;
    } else if (has(t, 'by')) f.by = true;
  }
  // "除了卧室灯和床头灯，其他都关掉", "all lights off except the bedside lamp, the rest too": the rest of the kind excepted
  if (tokens.some((t) => has(t, 'rest'))) f.rest = true;
  // "go back to the dock": another verb of the clause says which of a word's acts is meant
  for (const s of f.acts) {
    if (!s.alts) continue;
    const pick = [s.act, ...s.alts].find((a) => f.acts.some((o) => o !== s && o.act === a));
    if (pick) {
      s.act = pick;
      delete s.alts;
    }
  }
  f.onlyYesNo = yesNoOnly && (f.yes || f.no);
  f.content =
    sawContent || f.pron || f.all || f.gaps.length > 0 || f.yes || f.no || f.question || f.amount !== undefined || f.one || f.pick !== undefined || !!f.except;
  return f;
}

/** A target said after "except": a device name, a device word or a place to leave out. */
function readExcepted(t: Token, f: Frame): void {
  const dev = find(t, 'dev');
  const type = find(t, 'type');
  const area = find(t, 'area');
  const near = find(t, 'near');
  if (!dev && !type && !area && !near) return;
  f.except ??= { devs: [], types: [], areas: [] };
  if (near) f.except.near = { word: near.word, areas: near.areas };
  if (dev) f.except.devs.push(...dev.ids);
  else if (type) f.except.types.push(type.type);
  if (area) f.except.areas.push(area.id);
}

/**
 * "开两个小时空调", "空调开两个小时", "run the AC for two hours": a time said after the verb or with "for" is how long
 * the command lasts; with "in"/过 before it or 后 after it ("两个小时后开空调") it is when the command starts.
 */
function lastsFor(tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (has(prev, 'delayBefore') || has(tokens[i + 1], 'delayAfter')) return false;
  if (has(prev, 'lasting') || has(prev, 'verb')) return true;
  // "开空调两个小时": after the device, with the verb before it
  return (has(prev, 'dev') || has(prev, 'type')) && tokens.slice(0, i - 1).some((x) => has(x, 'verb'));
}

/**
 * A whole number that counts the devices named after it: with a measure word (两个灯, 三盏灯, 卧室两台空调), or said
 * right before a plural device word, places between ("the two bedroom lights", "all three lamps").
 */
function countsDevices(tokens: readonly Token[], i: number, value: number): boolean {
  if (!Number.isInteger(value) || value < 1 || value > 99) return false;
  let j = i + 1;
  const measured = has(tokens[j], 'measure');
  if (measured) j++;
  while (j < tokens.length && (has(tokens[j], 'area') || tokens[j]!.m.every((m) => m.r === 'prep' || m.r === 'filler')) && !has(tokens[j], 'dev') && !has(tokens[j], 'type')) j++;
  const t = tokens[j];
  if (!t || isTime(t)) return false;
  return measured ? has(t, 'type') || has(t, 'dev') : t.m.some((m) => m.r === 'type' && m.plural);
}

/** another device word in the clause, so a word that is both a verb and a device word ("锁") is the verb */
/** The other plain verbs a word is ("go back": dock and previous), if any: the devices decide between them. */
function otherActs(t: Token, verb: Extract<Meaning, { r: 'verb' }>): Act[] | undefined {
  let out: Act[] | undefined;
  for (const m of t.m) if (m !== verb && m.r === 'verb' && m.act !== verb.act && m.act !== 'navigate' && !m.type && !m.to && !m.weak) (out ??= []).push(m.act);
  return out;
}

function hasEntityElsewhere(tokens: readonly Token[], i: number): boolean {
  return tokens.some((t, j) => j !== i && t.m.some((m) => m.r === 'dev' || m.r === 'type' || m.r === 'area' || m.r === 'pron'));
}

/** "hdmi" + "4" as the option "hdmi4", when the word alone stands for a numbered option and the number follows it closely. */
function numberedOption(t: Token, next: Token | undefined, n: Normalized, value: readonly Extract<Meaning, { r: 'value' }>[]): Frame['values'][number] | undefined {
  const num = find(next, 'num');
  if (!next || !num || num.unit || !Number.isInteger(num.value) || next.s > t.e + 1 || isTime(next)) return undefined;
  const word = n.text.slice(t.s, t.e);
  if (/\d/.test(word)) return undefined;
  const stem = word.replace(/\s+/g, '');
  const out = value.filter((v) => /^[a-z]+\d+$/.test(v.id) && v.id.startsWith(stem)).map((v) => ({ field: v.field, id: `${stem}${num.value}` }));
  return out.length ? out : undefined;
}

/** "fan" is a fan-speed word and a mode; "mode" itself is not a value */
function isOptionAttrOnly(a: Attr): boolean {
  return a === 'mode' || a === 'program' || a === 'input' || a === 'app';
}
