/**
 * The JSGF grammar that constrains pocketsphinx, generated from the home (device, area and scene names, the
 * options devices declare) and the understanding engine's English vocabulary (verbs, attributes, values, units,
 * numbers, yes/no). Never from lists of test sentences: a new device name is speakable as soon as the registry has
 * it (the voice feature regenerates on the registry's `changed` signal).
 *
 * Only words the pronunciation dictionary knows go in; short unknown words (acronyms such as "hdmi") are spelled
 * letter by letter. The dictionary written next to the grammar holds just these words, so pocketsphinx starts fast.
 */
import { DEVICE_TYPES, type DeviceType } from '@steward/device-adapters';
import type { HomeView } from '../../understanding/contract.ts';
import type { Lexicon } from '../../understanding/lexicon/types.ts';

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

export function generateGrammar(view: HomeView, lex: Lexicon, dict: Pronunciations): GeneratedGrammar {
  const used = new Map<string, string[]>();
  /** the pronunciations of a word, or undefined when it cannot be said */
  const pron = (w: string): string[] | undefined => {
    const hit = used.get(w);
    if (hit) return hit;
    let p = dict.get(w);
    // the vocabulary drops apostrophes ("dont", "im"); the dictionary keeps them
    if (!p && w.length > 2) {
      for (let i = 1; i < w.length && !p; i++) p = dict.get(`${w.slice(0, i)}'${w.slice(i)}`);
    }
    if (!p && w.length <= 4) {
      const letters = [...w].map((ch) => dict.get(ch)?.[0]);
      if (letters.every((x) => x !== undefined)) p = [letters.join(' ')];
    }
    if (p) used.set(w, p);
    return p;
  };
  const speakable = (phrase: string) => phrase !== '' && phrase.split(' ').every((w) => pron(w) !== undefined);
  const alt = (phrases: Iterable<string>): string | undefined => {
    const set = [...new Set([...phrases].map(normalisePhrase))].filter(speakable).sort();
    return set.length ? `(${set.join(' | ')})` : undefined;
  };
  const rules: string[] = [];
  const rule = (name: string, body: string | undefined, fallback = '<VOID>') => rules.push(`<${name}> = ${body ?? fallback};`);

  // The most common words of each meaning (the vocabulary lists them first), and each verb only with the devices
  // whose traits take it: a recogniser free to put any verb before any name decodes slower and much worse.
  const top = (words: readonly string[] | undefined, n = 2) => (words ?? []).slice(0, n);
  const devices = view.devices();
  const areaName = new Map(view.areas().map((a) => [a.id, a.names.en ?? []]));
  const typeWords = (type: DeviceType) => [...DEVICE_TYPES[type].words.en];
  /** every way to name the devices that have a trait: their names, their kind, their area and kind */
  const targets = new Map<string, Set<string>>();
  for (const d of devices) {
    const phrases = [...(d.names.en ?? []), ...typeWords(d.type), ...typeWords(d.type).flatMap((k) => (areaName.get(d.area) ?? []).map((a) => `${a} ${k}`))];
    for (const trait of d.traits) {
      const set = targets.get(trait) ?? new Set<string>();
      for (const p of phrases) set.add(p);
      targets.set(trait, set);
    }
  }
  const has = (trait: string) => targets.has(trait) && alt(targets.get(trait)!) !== undefined;
  for (const [trait, set] of targets) {
    const body = alt(set);
    if (body) rule(`t_${trait}`, `[the] ${body}`);
  }
  /** option values the home's devices declare for a field (modes, speeds, programs...), with the vocabulary's words */
  const optionsOf = (attribute: string, field: keyof Lexicon['options']) => {
    const ids = new Set(devices.flatMap((d) => (Array.isArray(d.attributes[attribute]) ? (d.attributes[attribute] as unknown[]).filter((x): x is string => typeof x === 'string') : [])));
    return [...ids].flatMap((id) => [id.replace(/_/g, ' '), ...top(lex.options[field][id], 1)]);
  };
  const words = (...lists: (readonly string[] | undefined)[]) => alt(lists.flatMap((l) => l ?? [])) ?? '<VOID>';
  const v = lex.verbs;
  const set = words(top(lex.setVerbs, 3));
  const numbers = Array.from({ length: 101 }, (_, i) => numberWords(i));
  rule('number', alt(numbers));
  // temperatures only within what the home's thermostats take: fewer numbers to confuse "twenty four" with
  const mins = devices.map((d) => d.attributes.minC).filter((x): x is number => typeof x === 'number');
  const maxs = devices.map((d) => d.attributes.maxC).filter((x): x is number => typeof x === 'number');
  const lo = Math.max(0, Math.floor(Math.min(...mins, 16)));
  const hi = Math.min(100, Math.ceil(Math.max(...maxs, 30)));
  rule('degrees', alt(numbers.slice(lo, hi + 1)));
  const percent = words(top(lex.units.percent.filter((w) => /^[a-z ]+$/.test(w)), 1));
  const degrees = words(top(lex.units.degree, 2));
  const clauses: string[] = [];
  const add = (trait: string, ...forms: string[]) => {
    if (has(trait)) clauses.push(...forms.map((f) => f.replaceAll('<T>', `<t_${trait}>`)));
  };
  add('onOff', `${words(top(v.on), top(v.off))} <T>`, `(turn | switch) <T> (on | off)`);
  add('position', `${words(top(v.open, 1), top(v.close, 1))} <T>`, `${set} <T> to <number> ${percent}`);
  add('lock', `${words(top(v.lock, 1), top(v.unlock, 1))} <T>`);
  add('playback', `${words(top(v.play, 1), top(v.pause, 1), top(v.stop, 1))} [the] (music | <T>)`);
  add('vacuum', `${words(top(v.start, 1), top(v.stop, 1), top(v.dock, 1), top(v.pause, 1))} <T>`);
  add('program', `${words(top(v.start, 1), top(v.stop, 1))} <T>`, `${set} <T> to ${words(optionsOf('programs', 'program'))}`);
  add('brightness', `${set} <T> to <number> ${percent}`, `${words(top(lex.directions[0]?.words, 2), top(lex.directions[1]?.words, 2))} <T>`);
  add('color', `(${set} | make) <T> ${words(Object.values(lex.colors).map((c) => c.words[0]!))}`);
  add('colorTemperature', `(${set} | make) <T> ${words(Object.values(lex.whites).map((w) => w.words[0]!))}`);
  add('thermostat', `${set} <T> to <degrees> [${degrees}]`, `${set} <T> to ${words(optionsOf('modes', 'mode'))} [mode]`);
  add('fanSpeed', `${set} [the] fan speed of <T> to ${words(optionsOf('fanSpeeds', 'fanSpeed'))}`);
  add('volume', `${set} [the] volume of <T> to <number>`, `turn (up | down) [the] volume (on | of) <T>`, `${words(top(v.mute, 1), top(v.unmute, 1))} <T>`);
  add('inputSource', `(${set} | switch) <T> to ${words(optionsOf('inputs', 'input'))}`);
  add('app', `(open | launch) ${words(optionsOf('apps', 'app'))} on <T>`);
  add('channel', `${set} <T> to channel <number>`);
  add('level', `${set} <T> to level <number>`);
  add('fridge', `${set} [the] fridge to <number> [${degrees}]`);
  add('charging', `${words(top(v.start, 1), top(v.stop, 1))} charging [the] <T>`);
  const scenes = alt(view.scenes().flatMap((sc) => sc.names.en ?? []));
  if (scenes) clauses.push(`[${words(top(v.on, 1), top(v.start, 1), ['activate'])}] ${scenes}`);
  rule('clause', clauses.join(' | '));
  rule('yesno', alt([...top(lex.yes, 3), ...top(lex.no, 3)]));
  // the words the rules above spell out themselves
  for (const w of ['the', 'turn', 'switch', 'on', 'off', 'to', 'of', 'and', 'then', 'please', 'up', 'down', 'fan', 'speed', 'volume', 'music', 'channel', 'level', 'fridge', 'charging', 'make', 'open', 'launch', 'activate', 'mode']) pron(w);
  const head = ['#JSGF V1.0;', 'grammar steward;', 'public <utterance> = <yesno> | [please] <clause>;'];
  const jsgf = `${[...head, ...rules].join('\n')}\n`;
  const lines: string[] = [];
  for (const [w, ps] of [...used].sort(([a], [b]) => (a < b ? -1 : 1))) ps.forEach((p, i) => lines.push(`${i ? `${w}(${i + 1})` : w} ${p}`));
  return { jsgf, dict: `${lines.join('\n')}\n`, words: used.size };
}
