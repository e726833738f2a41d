/**
 * What the model is told about the home: a compact catalog of exposed devices (id, name in the request's language,
 * area, kind, key state), scenes, and in big homes only the devices retrieval finds relevant plus counts by kind
 * (reachable through group targets). The catalog is data: it reaches the model as the JSON result of the
 * `list_devices` call, never as text in the system prompt.
 */
import { DEVICE_TYPES, type Area, type DeviceType, type Scene, type State } from '@steward/device-adapters';
import type { DeviceView, HomeView, Lang } from '../understanding/contract.ts';
import { keyFields } from './tools.ts';

export interface CatalogRequest {
  text: string;
  lang: Lang;
  /** the area of the speaking device */
  area?: string;
}

export interface Catalog {
  /** devices listed (and given id-level tools) */
  devices: DeviceView[];
  scenes: Scene[];
  /** kinds the model may address as groups (every exposed device of a kind, in an area): big homes only */
  groupTypes: DeviceType[];
  /** the catalog as the model sees it */
  json: string;
  /** true when retrieval left devices out */
  narrowed: boolean;
}

/** Homes with more exposed devices than this get a narrowed catalog. */
export const DEFAULT_MAX_LISTED = 60;

/** Words of open-ended requests that point at kinds of device (retrieval hints; the model still decides). */
const CONCEPTS: { words: readonly string[]; types: readonly DeviceType[] }[] = [
  { words: ['cold', 'chilly', 'freezing', 'warm up', 'warmer', '冷', '暖和'], types: ['heater', 'air_conditioner', 'window'] },
  { words: ['hot', 'stuffy', 'cool down', 'cooler', '热', '闷'], types: ['air_conditioner', 'fan', 'window', 'curtain'] },
  { words: ['film', 'movie', 'watch', 'show', 'series', '电影', '看剧', '追剧'], types: ['tv', 'light', 'curtain', 'speaker'] },
  { words: ['car', 'drive', 'trip', 'leave in', '车', '开车', '出发'], types: ['seat_heater', 'navigation', 'ev_battery', 'trunk', 'lock', 'air_conditioner', 'window'] },
  { words: ['going out', 'go out', 'leaving', 'away', 'out for', '出门', '离开', '不在家'], types: ['light', 'lock', 'air_conditioner', 'heater', 'tv', 'speaker', 'window'] },
  { words: ['asleep', 'sleep', 'quiet', 'noise', 'bed', '睡', '安静', '小声'], types: ['speaker', 'tv', 'vacuum', 'washer', 'dishwasher', 'light', 'fan'] },
  { words: ['dark', 'bright', 'light', 'see', '暗', '亮'], types: ['light', 'curtain'] },
  { words: ['clean', 'dust', 'mess', '打扫', '扫地', '脏'], types: ['vacuum'] },
  { words: ['laundry', 'clothes', 'wash', '洗衣'], types: ['washer'] },
  { words: ['dishes', '碗'], types: ['dishwasher'] },
  { words: ['food', 'groceries', 'drinks', '冰箱', '食物'], types: ['fridge'] },
  { words: ['music', 'song', 'play', '音乐', '歌'], types: ['speaker', 'tv'] },
  { words: ['shower', 'bath', 'hot water', '洗澡', '热水'], types: ['water_heater'] },
  { words: ['humid', 'dry', 'air', '潮', '干燥', '空气'], types: ['sensor', 'fan', 'air_conditioner', 'window'] },
  { words: ['door', 'secure', 'safe', 'lock', '门', '安全'], types: ['lock', 'window', 'trunk'] },
];

const lower = (s: string) => s.toLowerCase();

function mentions(text: string, word: string): boolean {
  const w = lower(word);
  if (/[\u4e00-\u9fff]/.test(w)) return text.includes(w);
  // whole words for Latin scripts ("tv" in "tv", not in "activity")
  return new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`).test(text);
}

/** The name a person uses in this language, else any. */
export function nameIn(names: Record<string, string[]>, lang: Lang): string {
  return names[lang]?.[0] ?? names.en?.[0] ?? Object.values(names)[0]?.[0] ?? '';
}

function keyState(device: DeviceView, state: State | undefined): State {
  if (!state) return {};
  return Object.fromEntries(keyFields(device).filter((f) => f in state).map((f) => [f, state[f]!]));
}

interface Relevance {
  areas: Set<string>;
  types: Set<DeviceType>;
  named: Set<string>;
}

/** Which areas, kinds and devices the request mentions (names in every language, kind words, concepts). */
export function relevance(view: Pick<HomeView, 'areas'>, devices: readonly DeviceView[], req: CatalogRequest): Relevance {
  const text = lower(req.text);
  const areas = new Set<string>();
  const types = new Set<DeviceType>();
  const named = new Set<string>();
  for (const a of view.areas()) {
    if (Object.values(a.names).flat().some((n) => mentions(text, n)) || mentions(text, a.id.replace(/_/g, ' '))) areas.add(a.id);
  }
  for (const [type, spec] of Object.entries(DEVICE_TYPES)) {
    if ([...spec.words.en, ...spec.words.zh].some((w) => mentions(text, w))) types.add(type as DeviceType);
  }
  for (const c of CONCEPTS) if (c.words.some((w) => mentions(text, w))) for (const t of c.types) types.add(t);
  for (const d of devices) if (Object.values(d.names).flat().some((n) => n.length > 1 && mentions(text, n))) named.add(d.id);
  // "downstairs" names no area, but areas called "downstairs hall": area words match one by one
  if (areas.size === 0) {
    for (const a of view.areas()) {
      const words = Object.values(a.names).flat().flatMap((n) => lower(n).split(/\s+/)).filter((w) => w.length > 3 && !/\d/.test(w));
      if (words.some((w) => mentions(text, w) && !isKindWord(w))) areas.add(a.id);
    }
  }
  return { areas, types, named };
}

const KIND_WORDS = new Set(Object.values(DEVICE_TYPES).flatMap((s) => [...s.words.en]).map(lower));
const isKindWord = (w: string) => KIND_WORDS.has(w);

/**
 * The catalog for one request. Small homes list every exposed device. Big homes list the devices the request
 * names, then those in the areas and of the kinds it mentions, up to `maxListed`; every other device is counted
 * by kind and reachable as a group, so nothing silently disappears.
 */
export function buildCatalog(view: HomeView, exposed: readonly DeviceView[], req: CatalogRequest, maxListed = DEFAULT_MAX_LISTED): Catalog {
  const areasById = new Map<string, Area>(view.areas().map((a) => [a.id, a]));
  const exposedIds = new Set(exposed.map((d) => d.id));
  // scenes that touch a hidden device are not the planner's to run
  const scenes = view.scenes().filter((s) => Object.keys(s.states).every((id) => exposedIds.has(id)));
  let listed: DeviceView[];
  let groupTypes: DeviceType[] = [];
  let relevantAreas: Set<string> | undefined;
  if (exposed.length <= maxListed) {
    listed = [...exposed];
  } else {
    const r = relevance(view, exposed, req);
    if (req.area) r.areas.add(req.area);
    const score = (d: DeviceView): number => {
      if (r.named.has(d.id)) return 4;
      const inArea = r.areas.has(d.area);
      const ofType = r.types.has(d.type);
      if (inArea && ofType) return 3;
      if (inArea && r.types.size === 0) return 2;
      if (ofType && r.areas.size === 0) return 1;
      return 0;
    };
    const ranked = exposed.map((d) => ({ d, s: score(d) })).filter((x) => x.s > 0);
    ranked.sort((a, b) => b.s - a.s);
    // best tiers first; a tier that does not fit whole gives whole areas in order until the budget is spent, and
    // the rest stays reachable through group targets (counted under `home`)
    listed = [];
    for (const tier of [4, 3, 2, 1]) {
      const inTier = ranked.filter((x) => x.s === tier).map((x) => x.d);
      const room = maxListed - listed.length;
      if (inTier.length <= room) listed.push(...inTier);
      else {
        const byArea = new Map<string, DeviceView[]>();
        for (const d of inTier) byArea.set(d.area, [...(byArea.get(d.area) ?? []), d]);
        for (const group of byArea.values()) if (listed.length + group.length <= maxListed) listed.push(...group);
      }
    }
    groupTypes = [...new Set(exposed.map((d) => d.type))].sort() as DeviceType[];
    relevantAreas = new Set([...r.areas, ...listed.map((d) => d.area)]);
  }

  const areaIds = [...(relevantAreas ?? new Set(listed.map((d) => d.area)))].filter((id) => areasById.has(id));
  // per area its name and devices, one row each: [id, name, kind, key state]
  const areas: Record<string, { name: string; devices?: unknown[][] }> = {};
  for (const id of areaIds) areas[id] = { name: nameIn(areasById.get(id)!.names, req.lang) };
  for (const d of listed) {
    const a = (areas[d.area] ??= { name: nameIn(areasById.get(d.area)?.names ?? {}, req.lang) });
    (a.devices ??= []).push([d.id, nameIn(d.names, req.lang), d.type, keyState(d, view.state(d.id))]);
  }
  const body: Record<string, unknown> = { areas };
  if (scenes.length > 0) body.scenes = Object.fromEntries(scenes.map((s) => [s.id, nameIn(s.names, req.lang)]));
  if (groupTypes.length > 0) {
    const counts: Record<string, number> = {};
    for (const d of exposed) counts[d.type] = (counts[d.type] ?? 0) + 1;
    body.home = { devices: exposed.length, areas: view.areas().length, byKind: counts, note: 'devices not listed are reached with group targets' };
  }
  return { devices: listed, scenes, groupTypes, json: JSON.stringify(body), narrowed: listed.length < exposed.length };
}
