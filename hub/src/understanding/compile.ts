/**
 * Compiles the vocabulary of every language and the home's registry (device, area, scene and node names, and
 * the canonical option ids in device attributes) into one trie. Built once per HomeView version.
 */
import { DEVICE_TYPES, fieldsOf, type Area, type DeviceType, type Scene } from '@steward/device-adapters';
import type { DeviceView, HomeView } from './contract.ts';
import type { Lexicon, Meaning, OptionField } from './lexicon/types.ts';
import { VOCABULARIES } from './languages/index.ts';
import { normalizePhrase } from './text.ts';
import { Trie } from './trie.ts';

export interface Compiled {
  version: number;
  trie: Trie<Meaning>;
  devices: ReadonlyMap<string, DeviceView>;
  deviceList: readonly DeviceView[];
  areas: ReadonlyMap<string, Area>;
  scenes: ReadonlyMap<string, Scene>;
  /** node ids to their names, for a reply that says a node is not a device */
  nodes: ReadonlyMap<string, Record<string, string[]>>;
  /** devices named by a generic word of their type ("空调", "TV", "门锁"): the one meant when a word fits several */
  defaults: ReadonlySet<string>;
  /** an area and the areas on it (a floor and its rooms); an area with none inside maps to itself alone */
  within: ReadonlyMap<string, readonly string[]>;
  /** devices named after their area and kind ("living room light", "客厅灯"): the one meant by "the light in the living room" */
  areaMains: ReadonlySet<string>;
  lexicons: readonly Lexicon[];
}

const OPTION_FIELDS: readonly OptionField[] = ['mode', 'program', 'fanSpeed', 'input', 'app'];

const IS_CONTRACTION = /\b(it|that|what|there|here)s\b/g;

class PhraseTable {
  private readonly table = new Map<string, Map<string, Meaning>>();
  add(phrase: string, m: Meaning): void {
    const p = normalizePhrase(phrase);
    if (!p) return;
    let meanings = this.table.get(p);
    if (!meanings) {
      meanings = new Map();
      this.table.set(p, meanings);
    }
    meanings.set(JSON.stringify(m), m);
    // the normaliser drops "'s" ("it's cold" reads "it cold"): a phrase written with "its", "thats" also matches that
    const dropped = p.replace(IS_CONTRACTION, '$1');
    if (dropped !== p) this.add(dropped, m);
  }
  has(phrase: string, r: Meaning['r']): boolean {
    const m = this.table.get(normalizePhrase(phrase));
    return !!m && [...m.values()].some((x) => x.r === r);
  }
  known(phrase: string): boolean {
    return this.table.has(normalizePhrase(phrase));
  }
  toTrie(): Trie<Meaning> {
    const trie = new Trie<Meaning>();
    for (const [p, ms] of this.table) for (const m of ms.values()) trie.add(p, m);
    return trie;
  }
}

function addLexicon(t: PhraseTable, lx: Lexicon): void {
  for (const [act, words] of Object.entries(lx.verbs)) for (const w of words ?? []) t.add(w, { r: 'verb', act: act as never });
  // "调到", "set ... to": a verb that carries its own "to" makes a number absolute even after "调低"
  for (const w of lx.setVerbs) t.add(w, /[到成为至在]$|\bto$/.test(w) ? { r: 'verb', act: 'set', to: true } : { r: 'verb', act: 'set' });
  for (const w of lx.onSetVerbs ?? []) {
    t.add(w, { r: 'verb', act: 'on', to: true });
  }
  for (const tv of lx.typedVerbs) for (const w of tv.words) t.add(w, { r: 'verb', act: tv.act, type: tv.type });
  for (const wv of lx.weakVerbs ?? []) for (const w of wv.words) t.add(w, { r: 'verb', act: wv.act, weak: true });
  for (const [dest, words] of Object.entries(lx.places ?? {})) for (const w of words) t.add(w, { r: 'verb', act: 'navigate', dest });
  if (lx.onOffWords) {
    for (const w of lx.onOffWords.on) t.add(w, { r: 'onoff', on: true });
    for (const w of lx.onOffWords.off) t.add(w, { r: 'onoff', on: false });
  }
  for (const [attr, words] of Object.entries(lx.attributes)) for (const w of words ?? []) t.add(w, { r: 'attr', attr: attr as never });
  for (const field of OPTION_FIELDS) {
    for (const [id, words] of Object.entries(lx.options[field] ?? {})) for (const w of words) t.add(w, { r: 'value', field, id });
  }
  for (const [name, c] of Object.entries(lx.colors)) for (const w of c.words) t.add(w, { r: 'color', hue: c.hue, saturation: c.saturation, name });
  for (const [name, c] of Object.entries(lx.whites)) for (const w of c.words) t.add(w, { r: 'white', kelvin: c.kelvin, name });
  for (const d of lx.directions) for (const w of d.words) t.add(w, d.attr ? { r: 'dir', sign: d.sign, attr: d.attr } : { r: 'dir', sign: d.sign });
  for (const w of lx.amounts.bit) t.add(w, { r: 'amount', size: 'bit' });
  for (const w of lx.amounts.lot) t.add(w, { r: 'amount', size: 'lot' });
  for (const w of lx.extremes.max) t.add(w, { r: 'extreme', which: 'max' });
  for (const w of lx.extremes.min) t.add(w, { r: 'extreme', which: 'min' });
  for (const [unit, words] of Object.entries(lx.units)) for (const w of words) t.add(w, { r: 'unit', unit: unit as never });
  for (const d of lx.durations) for (const w of d.words) t.add(w, { r: 'duration', ms: d.ms });
  for (const [id, words] of Object.entries(lx.states ?? {})) for (const w of words) t.add(w, { r: 'state', id });
  for (const w of lx.pronouns) t.add(w, { r: 'pron' });
  for (const w of lx.all) t.add(w, { r: 'all' });
  for (const w of lx.both ?? []) t.add(w, { r: 'all', count: 2 });
  for (const q of lx.questions) {
    for (const w of q.words) {
      t.add(w, {
        r: 'q', ...(q.attr ? { attr: q.attr } : {}), ...(q.which ? { which: true } : {}), ...(q.lead ? { lead: true } : {}),
        ...(q.is !== undefined ? { is: q.is } : {}), ...(q.quant ? { quant: q.quant } : {}),
      });
    }
  }
  const simple: [keyof Lexicon, Meaning][] = [
    ['polite', { r: 'polite' }], ['yes', { r: 'yes' }], ['no', { r: 'no' }], ['separators', { r: 'sep' }],
    ['again', { r: 'again' }], ['to', { r: 'to' }], ['by', { r: 'by' }], ['prepositions', { r: 'prep' }],
    ['delayBefore', { r: 'delayBefore' }], ['delayAfter', { r: 'delayAfter' }], ['fillers', { r: 'filler' }],
  ];
  for (const [key, m] of simple) for (const w of lx[key] as string[]) t.add(w, m);
  for (const w of lx.conjunctions) t.add(w, { r: 'sep', and: true });
  for (const w of lx.lasting ?? []) t.add(w, { r: 'lasting' });
  for (const w of lx.measures ?? []) t.add(w, { r: 'measure' });
  const dl = lx.dialogue;
  for (const w of dl.also) t.add(w, { r: 'also' });
  for (const w of dl.other) t.add(w, { r: 'pick', index: 0 });
  for (const w of dl.rest) {
    t.add(w, { r: 'all' });
    t.add(w, { r: 'rest' });
  }
  dl.ordinals.forEach((words, i) => words.forEach((w) => t.add(w, { r: 'pick', index: i + 1 })));
  for (const w of dl.last) t.add(w, { r: 'pick', index: -1 });
  for (const w of dl.except) t.add(w, { r: 'except' });
  for (const w of dl.exceptAfter) t.add(w, { r: 'except', after: true });
  for (const [type, words] of Object.entries(lx.types)) for (const w of words ?? []) addType(t, w, type as DeviceType, words ?? []);
}

/** English plurals ("lights") ask for every match; a singular asks for one. */
function addType(t: PhraseTable, w: string, type: DeviceType, siblings: readonly string[]): void {
  const plural = /^[a-z ]+s$/.test(w) && siblings.includes(w.slice(0, -1));
  t.add(w, plural ? { r: 'type', type, plural: true } : { r: 'type', type });
}

/** "goodnight", "livingroom": a name of several English words is also written as one, unless that word means something else. */
function addSquashed(t: PhraseTable, name: string, m: Meaning): void {
  const p = normalizePhrase(name);
  if (!/^[a-z]+( [a-z]+)+$/.test(p)) return;
  const one = p.replace(/ /g, '');
  if (!t.known(one)) t.add(one, m);
}

/** "hdmi1" is also said "hdmi 1"; "drum_clean" is "drum clean". */
function optionVariants(id: string): string[] {
  const spaced = id.replace(/_/g, ' ');
  const split = spaced.replace(/([a-z])(\d)/g, '$1 $2');
  return [...new Set([id, spaced, split])];
}

export function compile(view: HomeView): Compiled {
  const t = new PhraseTable();
  for (const lx of VOCABULARIES) addLexicon(t, lx);
  for (const [type, spec] of Object.entries(DEVICE_TYPES)) {
    for (const w of [...spec.words.en, ...spec.words.zh]) addType(t, w, type as DeviceType, spec.words.en);
  }
  const deviceList = view.devices();
  const byName = new Map<string, string[]>();
  for (const d of deviceList) {
    for (const names of Object.values(d.names)) {
      for (const n of names) {
        const p = normalizePhrase(n);
        const ids = byName.get(p) ?? [];
        if (!ids.includes(d.id)) ids.push(d.id);
        byName.set(p, ids);
      }
    }
    const fields = fieldsOf(d);
    for (const field of OPTION_FIELDS) {
      const opts = fields[field]?.options?.(d.attributes) ?? [];
      for (const id of opts) for (const v of optionVariants(id)) t.add(v, { r: 'value', field, id });
    }
  }
  for (const [p, ids] of byName) t.add(p, { r: 'dev', ids });
  const defaults = new Set<string>();
  for (const d of deviceList) {
    const generic = new Set<string>();
    for (const w of [...DEVICE_TYPES[d.type].words.en, ...DEVICE_TYPES[d.type].words.zh]) generic.add(normalizePhrase(w));
    if (Object.values(d.names).some((ns) => ns.some((n) => generic.has(normalizePhrase(n))))) defaults.add(d.id);
  }
  const areaMains = new Set<string>();
  const squash = (x: string) => normalizePhrase(x).replace(/ /g, '');
  for (const d of deviceList) {
    const area = view.areas().find((a) => a.id === d.area);
    if (!area) continue;
    const words = new Set<string>([...DEVICE_TYPES[d.type].words.en, ...DEVICE_TYPES[d.type].words.zh].map(squash));
    for (const lx of VOCABULARIES) for (const w of lx.types[d.type] ?? []) words.add(squash(w));
    const names = new Set(Object.values(d.names).flat().map(squash));
    const areaNames = Object.values(area.names).flat().map(squash);
    if (areaNames.some((a) => [...words].some((w) => names.has(a + w)))) areaMains.add(d.id);
  }
  // furniture: the home's areas named like the rooms such furniture is usually in
  for (const lx of VOCABULARIES) {
    for (const fu of lx.furniture) {
      const rooms = new Set(fu.rooms.map(normalizePhrase));
      const ids = view.areas().filter((a) => Object.values(a.names).flat().some((n) => rooms.has(normalizePhrase(n)))).map((a) => a.id);
      for (const w of fu.words) t.add(w, { r: 'near', word: fu.stem, areas: ids });
    }
  }
  const areas = new Map<string, Area>();
  const within = new Map<string, string[]>();
  for (const a of view.areas()) if (a.floor) within.set(a.floor, [...(within.get(a.floor) ?? [a.floor]), a.id]);
  for (const a of view.areas()) {
    areas.set(a.id, a);
    for (const names of Object.values(a.names)) for (const n of names) t.add(n, { r: 'area', id: a.id });
    for (const n of a.names.en ?? []) addSquashed(t, n, { r: 'area', id: a.id });
  }
  const scenes = new Map<string, Scene>();
  const suffixes = VOCABULARIES.flatMap((lx) => lx.sceneSuffixes ?? []).map(normalizePhrase);
  for (const s of view.scenes()) {
    scenes.set(s.id, s);
    for (const names of Object.values(s.names)) {
      for (const n of names) {
        t.add(n, { r: 'scene', id: s.id });
        addSquashed(t, n, { r: 'scene', id: s.id });
        // "movie mode" -> "movie", "观影模式" -> "观影": the head of a scene name, when nothing else is said
        const p = normalizePhrase(n);
        for (const suf of suffixes) {
          const head = p.endsWith(suf) ? p.slice(0, -suf.length).trim() : '';
          if (head && head.length >= 2 && head !== p) t.add(head, { r: 'scene', id: s.id, hint: true });
        }
      }
    }
  }
  const nodes = new Map<string, Record<string, string[]>>();
  for (const n of view.nodes?.() ?? []) {
    nodes.set(n.id, n.names);
    // a name that a node shares with a device means the device
    for (const names of Object.values(n.names)) for (const name of names) if (!byName.has(normalizePhrase(name))) t.add(name, { r: 'node', id: n.id });
  }
  return {
    version: view.version,
    trie: t.toTrie(),
    devices: new Map(deviceList.map((d) => [d.id, d])),
    deviceList,
    areas,
    within,
    scenes,
    nodes,
    defaults,
    areaMains,
    lexicons: VOCABULARIES,
  };
}
