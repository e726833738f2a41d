/**
 * Big homes for the agent benchmark: a realistic mix of devices over many areas on several floors (a villa, a
 * small hotel, an office), deterministic for a given size. Names in English and Chinese, attributes and initial
 * states valid for the home schema.
 */
import { parseHome, type Home, type DeviceType, type State } from '@steward/device-adapters';

interface Kind {
  type: DeviceType;
  traits: string[];
  attributes: Record<string, unknown>;
  state: State;
  en: string;
  zh: string;
  /** relative frequency */
  weight: number;
  confirm?: ('unlock' | 'open')[];
}

const KINDS: Kind[] = [
  { type: 'light', traits: ['onOff', 'brightness'], attributes: {}, state: { on: false, brightness: 80 }, en: 'ceiling light', zh: '吊灯', weight: 8 },
  { type: 'light', traits: ['onOff', 'brightness', 'colorTemperature'], attributes: { minK: 2700, maxK: 6500 }, state: { on: false, brightness: 60, colorTempK: 3000 }, en: 'lamp', zh: '台灯', weight: 5 },
  { type: 'light', traits: ['onOff'], attributes: {}, state: { on: false }, en: 'spotlight', zh: '射灯', weight: 4 },
  { type: 'curtain', traits: ['position'], attributes: {}, state: { position: 100 }, en: 'curtains', zh: '窗帘', weight: 3 },
  { type: 'sensor', traits: ['temperature', 'humidity'], attributes: {}, state: { temperatureC: 22, humidityPct: 50 }, en: 'climate sensor', zh: '温湿度计', weight: 3 },
  { type: 'sensor', traits: ['contact'], attributes: {}, state: { open: false }, en: 'door sensor', zh: '门磁', weight: 2 },
  { type: 'air_conditioner', traits: ['onOff', 'thermostat', 'fanSpeed'], attributes: { modes: ['cool', 'heat', 'auto'], minC: 16, maxC: 30, fanSpeeds: ['auto', 'low', 'high'] }, state: { on: false, mode: 'auto', targetC: 24, ambientC: 23, fanSpeed: 'auto' }, en: 'air conditioner', zh: '空调', weight: 2 },
  { type: 'heater', traits: ['onOff', 'thermostat'], attributes: { modes: ['heat'], minC: 10, maxC: 28 }, state: { on: false, mode: 'heat', targetC: 20, ambientC: 19 }, en: 'radiator', zh: '暖气片', weight: 1 },
  { type: 'window', traits: ['position'], attributes: {}, state: { position: 0 }, en: 'window', zh: '窗户', weight: 1, confirm: ['open'] },
  { type: 'fan', traits: ['onOff', 'fanSpeed'], attributes: { fanSpeeds: ['low', 'medium', 'high'] }, state: { on: false, fanSpeed: 'low' }, en: 'fan', zh: '风扇', weight: 1 },
  { type: 'speaker', traits: ['onOff', 'volume', 'playback'], attributes: { playbackStates: ['playing', 'paused', 'stopped'] }, state: { on: false, volume: 20, muted: false, playback: 'stopped' }, en: 'speaker', zh: '音箱', weight: 1 },
  { type: 'tv', traits: ['onOff', 'volume', 'playback', 'inputSource'], attributes: { inputs: ['hdmi1', 'hdmi2'], playbackStates: ['playing', 'paused', 'stopped'] }, state: { on: false, volume: 15, muted: false, playback: 'stopped', input: 'hdmi1' }, en: 'TV', zh: '电视', weight: 0.5 },
  { type: 'lock', traits: ['lock'], attributes: {}, state: { locked: true }, en: 'door lock', zh: '门锁', weight: 0.5, confirm: ['unlock'] },
];

const ROOMS: { en: string; zh: string }[] = [
  { en: 'living room', zh: '客厅' },
  { en: 'kitchen', zh: '厨房' },
  { en: 'bedroom', zh: '卧室' },
  { en: 'bathroom', zh: '浴室' },
  { en: 'study', zh: '书房' },
  { en: 'hall', zh: '门厅' },
  { en: 'guest room', zh: '客房' },
  { en: 'office', zh: '办公室' },
  { en: 'meeting room', zh: '会议室' },
  { en: 'corridor', zh: '走廊' },
];

const FLOORS: { id: string; en: string; zh: string }[] = [
  { id: 'down', en: 'downstairs', zh: '楼下' },
  { id: 'up', en: 'upstairs', zh: '楼上' },
  { id: 'f2', en: 'second floor', zh: '二楼' },
  { id: 'f3', en: 'third floor', zh: '三楼' },
  { id: 'f4', en: 'fourth floor', zh: '四楼' },
  { id: 'base', en: 'basement', zh: '地下室' },
];

/** A deterministic pseudo-random sequence (mulberry32): the same home for the same size. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About eight devices per area, as in real homes and buildings; one gateway node per area. */
export function generateHome(deviceCount: number): Home {
  const rnd = random(deviceCount);
  const areaCount = Math.max(4, Math.round(deviceCount / 8));
  const areas = Array.from({ length: areaCount }, (_, i) => {
    const floor = FLOORS[i % FLOORS.length]!;
    const room = ROOMS[Math.floor(i / FLOORS.length) % ROOMS.length]!;
    const n = Math.floor(i / (FLOORS.length * ROOMS.length)) + 1;
    const suffix = n > 1 ? ` ${n}` : '';
    return {
      id: `${floor.id}_${room.en.replace(/ /g, '_')}${n > 1 ? `_${n}` : ''}`,
      names: { en: [`${floor.en} ${room.en}${suffix}`], zh: [`${floor.zh}${room.zh}${suffix}`] },
    };
  });
  const total = KINDS.reduce((s, k) => s + k.weight, 0);
  const pick = (): Kind => {
    let r = rnd() * total;
    for (const k of KINDS) if ((r -= k.weight) < 0) return k;
    return KINDS[0]!;
  };
  const devices = Array.from({ length: deviceCount }, (_, i) => {
    const area = areas[i % areaCount]!;
    const kind = pick();
    const n = Math.floor(i / areaCount) + 1;
    return {
      id: `${area.id}_${kind.en.replace(/ /g, '_').toLowerCase()}_${n}`,
      node: `gw-${area.id.replace(/_/g, '-')}`,
      area: area.id,
      type: kind.type,
      names: { en: [`${area.names.en[0]} ${kind.en} ${n}`], zh: [`${area.names.zh[0]}${kind.zh}${n}`] },
      traits: kind.traits,
      attributes: kind.attributes,
      confirm: kind.confirm ?? [],
      state: kind.state,
    };
  });
  return parseHome(
    {
      name: `Generated home (${deviceCount} devices)`,
      areas,
      nodes: areas.map((a) => ({ id: `gw-${a.id.replace(/_/g, '-')}`, kind: 'gateway', names: { en: [`${a.names.en[0]} gateway`] } })),
      devices,
      scenes: [
        { id: 'all_off', names: { en: ['all off'], zh: ['全关'] }, states: Object.fromEntries(devices.filter((d) => d.type === 'light').slice(0, 20).map((d) => [d.id, { on: false }])) },
      ],
      readOnly: ['ambientC', 'temperatureC', 'humidityPct', 'open'],
    },
    `generated ${deviceCount}`,
  );
}
