/**
 * The JSGF grammar that constrains pocketsphinx, generated from the home (device, area and scene names, the
 * options devices declare) and the understanding engine's English vocabulary (verbs, attributes, values, units,
 * politeness, yes/no). Never from lists of test sentences: a new device name is speakable as soon as the registry
 * has it (the voice feature regenerates on the registry's `changed` signal).
 *
 * Shape: one clause per utterance, `[polite] verb [the] target [value] [tail]`, where each verb goes only with the
 * devices whose traits take it, a target is a device's name, its kind, its area and kind, or its kind "in the"
 * area, and a value is said as words ("twenty four degrees"). A free word order (a bag of words) decodes far worse.
 *
 * Only words the pronunciation dictionary knows go in; short unknown words in names (acronyms such as "hdmi") are
 * spelled letter by letter. The dictionary written next to the grammar holds just these words, so pocketsphinx
 * starts fast, plus a non-rhotic variant of words with an "r" after a vowel ("start" as /staat/): British speakers
 * drop it and the CMU dictionary is American.
 */
import { DEVICE_TYPES, type DeviceType } from '@steward/device-adapters';
import type { HomeView } from '../../understanding/contract.ts';
import type { Attr, Lexicon } from '../../understanding/lexicon/types.ts';

export interface Pronunciations {
  /** word → its pronunciations (phones separated by spaces) */
  get(word: string): string[] | undefined;
}

/** Reads a CMU-format dictionary (`word PH ON ES`, variants as `word(2)`). */
export function parseCmuDict(text: string): Pronunciations {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const word = line.slice(0, sp).replace(/\(\d+\)$/, '');
    const phones = line.slice(sp + 1).replace(/#.*$/, '').trim();
    if (!phones) continue;
    const list = map.get(word);
    if (list) list.push(phones);
    else map.set(word, [phones]);
  }
  return { get: (w) => map.get(w) };
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** "0".."100" as English words */
export function numberWords(n: number): string {
  if (n < 20) return ONES[n]!;
  if (n === 100) return 'one hundred';
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 ? `${t} ${ONES[n % 10]}` : t;
}

const VOWELS = new Set(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);

/** "S T AA R T" → "S T AA T": an R after a vowel and before a consonant or the end, dropped (non-rhotic English) */
export function nonRhotic(phones: string): string | undefined {
  const p = phones.split(' ');
  const out = p.filter((ph, i) => !(ph === 'R' && i > 0 && VOWELS.has(p[i - 1]!) && (i === p.length - 1 || !VOWELS.has(p[i + 1]!))));
  return out.length === p.length ? undefined : out.join(' ');
}

export interface GeneratedGrammar {
  jsgf: string;
  /** pocketsphinx dictionary lines for every word of the grammar */
  dict: string;
  words: number;
}

/** digits in a name are said as words; everything else but letters and spaces goes */
function normalisePhrase(p: string): string {
  return p
    .toLowerCase()
    .replace(/\d+/g, (d) => (Number(d) <= 100 ? ` ${numberWords(Number(d))} ` : ' '))
    .replace(/[’']/g, '')
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How many of each vocabulary list's words go in: its first ones, the most common. More words, more confusion. */
const VERBS_PER_ACT = 3;
const WORDS_PER_FIELD = 2;

export function generateGrammar(view: HomeView, lex: Lexicon, dict: Pronunciations): GeneratedGrammar {
  const used = new Map<string, string[]>();
  /** the pronunciations of a word, or undefined when it cannot be said; `spell`: short unknown words letter by letter */
  const pron = (w: string, spell: boolean): string[] | undefined => {
    const hit = used.get(w);
    if (hit) return hit;
    let p = dict.get(w);
    // the vocabulary drops apostrophes ("dont", "im"); the dictionary keeps them
    if (!p && w.length > 2) {
      for (let i = 1; i < w.length && !p; i++) p = dict.get(`${w.slice(0, i)}'${w.slice(i)}`);
    }
    if (!p && spell && w.length <= 4) {
      const letters = [...w].map((ch) => dict.get(ch)?.[0]);
      if (letters.every((x) => x !== undefined)) p = [letters.join(' ')];
    }
    if (p) {
      const variants = [...new Set([...p, ...p.map(nonRhotic).filter((x): x is string => x !== undefined)])];
      used.set(w, variants);
      return variants;
    }
    return undefined;
  };
  const speakable = (phrase: string, spell: boolean) => phrase !== '' && phrase.split(' ').every((w) => pron(w, spell) !== undefined);
  /** a JSGF alternative of the phrases that can be said; undefined when none can */
  const altOf = (phrases: Iterable<string>, spell: boolean): string | undefined => {
    const set = [...new Set([...phrases].map(normalisePhrase))].filter((p) => speakable(p, spell)).sort();
    return set.length ? `(${set.join(' | ')})` : undefined;
  };
  /** names from the home (spelled when short and unknown) */
  const names = (phrases: Iterable<string>) => altOf(phrases, true);
  /** vocabulary words (only dictionary words: "pls" is not spelled out) */
  const words = (...lists: (readonly string[] | undefined)[]) => altOf(lists.flatMap((l) => l ?? []), false) ?? '<VOID>';
  const top = (list: readonly string[] | undefined, n = VERBS_PER_ACT) => (list ?? []).slice(0, n);

  const rules: string[] = [];
  const rule = (name: string, body: string | undefined) => rules.push(`<${name}> = ${body ?? '<VOID>'};`);

  const devices = view.devices();
  const areaNames = new Map(view.areas().map((a) => [a.id, a.names.en ?? []]));
  const typeWords = (type: DeviceType) => [...DEVICE_TYPES[type].words.en];

  // --- targets: per trait, every way to name the devices that have it ---
  const targets = new Map<string, Set<string>>();
  /** per trait, the names of the areas that hold such a device ("the temperature in the bedroom") */
  const traitAreas = new Map<string, Set<string>>();
  for (const d of devices) {
    const areas = areaNames.get(d.area) ?? [];
    const kinds = typeWords(d.type);
    const phrases = [...(d.names.en ?? []), ...kinds, ...kinds.flatMap((k) => areas.flatMap((a) => [`${a} ${k}`, `${k} in the ${a}`]))];
    for (const trait of d.traits) {
      const set = targets.get(trait) ?? new Set<string>();
      for (const p of phrases) set.add(p);
      targets.set(trait, set);
      const as = traitAreas.get(trait) ?? new Set<string>();
      for (const a of areas) as.add(a);
      traitAreas.set(trait, as);
    }
  }
  const has = new Set<string>();
  for (const [trait, set] of targets) {
    const body = names(set);
    if (!body) continue;
    has.add(trait);
    rule(`t_${trait}`, `[the] ${body}`);
    const areas = names(traitAreas.get(trait) ?? []);
    if (areas) rule(`a_${trait}`, `[the] ${areas}`);
  }

  // --- values ---
  /** option values the home's devices declare for a field (modes, speeds, programs...), with the vocabulary's words */
  const optionsOf = (attribute: string, field: keyof Lexicon['options']) => {
    const ids = new Set(devices.flatMap((d) => (Array.isArray(d.attributes[attribute]) ? (d.attributes[attribute] as unknown[]).filter((x): x is string => typeof x === 'string') : [])));
    return [...ids].flatMap((id) => [id.replace(/_/g, ' '), ...top(lex.options[field][id], WORDS_PER_FIELD)]);
  };
  /** the values devices declare are names too: short unknown ones are spelled ("hdmi one") */
  const options = (attribute: string, field: keyof Lexicon['options']) => names(optionsOf(attribute, field)) ?? '<VOID>';
  // numbers as words; JSGF weights favouring round numbers were tried and changed nothing in pocketsphinx 0.8
  const numberRule = (from: number, upTo: number) => words(Array.from({ length: upTo - from + 1 }, (_, k) => numberWords(from + k)));
  rule('number', numberRule(0, 100));
  // temperatures only within what the home's thermostats take: fewer numbers to confuse "twenty four" with
  const mins = devices.map((d) => d.attributes.minC).filter((x): x is number => typeof x === 'number');
  const maxs = devices.map((d) => d.attributes.maxC).filter((x): x is number => typeof x === 'number');
  const lo = Math.max(0, Math.floor(Math.min(...mins, 16)));
  const hi = Math.min(100, Math.ceil(Math.max(...maxs, 30)));
  rule('degrees', numberRule(lo, hi));
  const percent = words(lex.units.percent.filter((w) => /^[a-z ]+$/.test(w)).slice(0, 1));
  const degrees = words(top(lex.units.degree, 2));

  // --- verbs, from the vocabulary ---
  const v = lex.verbs;
  const verb = (...acts: (keyof Lexicon['verbs'])[]) => words(...acts.map((a) => top(v[a])));
  const setVerb = words(top(lex.setVerbs, 4));
  /** "turn on" / "switch off" → the verb that also goes around the target: "turn the light off" */
  const splitVerbs = [...new Set([...top(v.on), ...top(v.off)].map((p) => p.match(/^(\w+) (on|off)$/)?.[1]).filter((x): x is string => x !== undefined))];
  const onOff = words(lex.onOffWords?.on.slice(0, 1), lex.onOffWords?.off.slice(0, 1));
  const to = words(lex.to.slice(0, 1));
  /** "the brightness of", "the volume on": a field word then a preposition */
  const fieldWord = (attr: Attr) => words(top(lex.attributes[attr], WORDS_PER_FIELD));
  const field = (attr: Attr) => `[the] ${fieldWord(attr)} (of | on | for)`;
  const fieldIn = (attr: Attr) => `[the] ${fieldWord(attr)} in`;

  const clauses: string[] = [];
  /** forms for a trait: <T> is its target, <A> its areas, only when the home has such a device */
  const add = (trait: string, ...forms: string[]) => {
    if (!has.has(trait)) return;
    for (const f of forms) {
      if (f.includes('<A>') && !traitAreas.get(trait)?.size) continue;
      clauses.push(f.replaceAll('<T>', `<t_${trait}>`).replaceAll('<A>', `<a_${trait}>`));
    }
  };
  /** "set the TV to 20", "set the volume of the TV to 20", "set the TV volume to 20", "set the volume in the lounge to 20" */
  const valued = (trait: string, attr: Attr, value: string) =>
    add(trait, `${setVerb} <T> [${fieldWord(attr)}] ${to} ${value}`, `${setVerb} ${field(attr)} <T> ${to} ${value}`, `${setVerb} ${fieldIn(attr)} <A> ${to} ${value}`);

  add('onOff', `${verb('on', 'off')} <T>`, `${words(splitVerbs)} <T> ${onOff}`);
  add('position', `${verb('open', 'close')} <T>`);
  valued('position', 'position', `<number> ${percent}`);
  add('lock', `${verb('lock', 'unlock')} <T>`);
  add('playback', `${verb('play', 'pause', 'stop')} <T>`);
  add('vacuum', `${verb('start', 'stop', 'dock', 'pause')} <T>`);
  add('program', `${verb('start', 'stop')} <T>`);
  valued('program', 'program', options('programs', 'program'));
  valued('brightness', 'brightness', `<number> ${percent}`);
  add('brightness', `${words(...(lex.directions.filter((d) => d.attr === 'brightness').map((d) => top(d.words, 2))))} <T>`);
  add('color', `(${setVerb}) <T> [${to}] ${words(Object.values(lex.colors).map((c) => c.words[0]!))}`);
  add('colorTemperature', `(${setVerb}) <T> [${to}] ${words(Object.values(lex.whites).map((w) => w.words[0]!))}`);
  valued('thermostat', 'temperature', `<degrees> [${degrees}]`);
  valued('thermostat', 'mode', `${options('modes', 'mode')} [mode]`);
  valued('fanSpeed', 'fanSpeed', options('fanSpeeds', 'fanSpeed'));
  valued('volume', 'volume', '<number>');
  add('volume', `${verb('mute', 'unmute')} <T>`);
  valued('inputSource', 'input', options('inputs', 'input'));
  add('app', `${verb('open')} ${options('apps', 'app')} on <T>`);
  valued('channel', 'channel', `[channel] <number>`);
  valued('level', 'level', `[level] <number>`);
  valued('fridge', 'fridge', `<number> [${degrees}]`);
  add('charging', `${verb('start', 'stop')} charging [the] <T>`);
  const scenes = names(view.scenes().flatMap((sc) => sc.names.en ?? []));
  if (scenes) clauses.push(`[${verb('on', 'start')}] ${scenes} [${words(lex.sceneSuffixes)}]`);
  rule('clause', clauses.join(' | '));
  rule('yesno', words(top(lex.yes), top(lex.no)));
  // requests as people say them: "could you …", "… please"; the short ones only
  rule('polite', words(lex.polite.filter((p) => p.split(' ').length <= 2)));
  rule('tail', words(['please', 'for me', 'now']));
  // the words the forms above spell out themselves
  for (const w of ['the', 'of', 'on', 'for', 'in', 'mode', 'channel', 'level', 'charging']) pron(w, false);
  const head = ['#JSGF V1.0;', 'grammar steward;', 'public <utterance> = <yesno> | [<polite>] <clause> [<tail>];'];
  const jsgf = `${[...head, ...rules].join('\n')}\n`;
  const lines: string[] = [];
  for (const [w, ps] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) ps.forEach((p, i) => lines.push(`${i ? `${w}(${i + 1})` : w} ${p}`));
  return { jsgf, dict: `${lines.join('\n')}\n`, words: used.size };
}
