import type { TraitId } from './traits/index.ts';
import { CONDITIONS, QUANTITIES } from './traits/readings.ts';

const SENSOR_TRAITS = [...Object.keys(CONDITIONS), ...Object.keys(QUANTITIES)] as TraitId[];
import type { Need, State } from './trait.ts';
import type { ConfirmRule } from './home.ts';

/**
 * Device types as data (in the manner of Matter device types): which traits a device of this type may have and
 * what people call it. The understanding engine uses the generic words ("light", "灯") to resolve
 * "turn off all the lights"; a home file's device names are added on top.
 */
export interface DeviceTypeSpec {
  traits: readonly TraitId[];
  /** generic words for this type, per language */
  words: { en: readonly string[]; zh: readonly string[] };
  /** needs every device of this type serves, on top of its traits' (a light that only switches still gives light) */
  serves?: readonly Need[];
  /** what a simulated device of this type starts as (`--simulate TYPE`): traits, attributes and state */
  simulated: { traits: readonly TraitId[]; attributes: Record<string, unknown>; state: State };
  /** changes every device of this type waits for the owner's yes for, whatever the home says (a window never opens unasked) */
  confirm?: readonly ConfirmRule[];
  /** full travel time, end to end, of each gradual field of a real device of this type (a car window about 4 s) */
  travelMs?: Readonly<Record<string, number>>;
  /** its position opens downwards ("lower the car windows" opens them) */
  opensDownwards?: boolean;
  /** it works in other rooms than its own ("clean the bedroom" names where, not which robot) */
  roams?: boolean;
  /** setting these fields is running it ("range hood on high" turns it on, even when it says it is on already) */
  runsBy?: readonly string[];
  /** what a room is switched on with: "turn on the kitchen" means the room's devices of a type that says so */
  roomSwitch?: boolean;
}

export const DEVICE_TYPES = {
  light: {
    traits: ['onOff', 'brightness', 'colorTemperature', 'color'], serves: ['light'], roomSwitch: true,
    words: { en: ['light', 'lights', 'lamp', 'lamps'], zh: ['灯', '灯光', '电灯'] },
    simulated: { traits: ['onOff', 'brightness', 'colorTemperature'], attributes: { minK: 2700, maxK: 6500 }, state: { on: false, brightness: 80, colorTempK: 4000 } },
  },
  tv: {
    traits: ['onOff', 'volume', 'playback', 'inputSource', 'app', 'channel', 'microphone', 'audioOutput'], words: { en: ['tv', 'television'], zh: ['电视', '电视机'] },
    simulated: {
      traits: ['onOff', 'volume', 'playback', 'inputSource', 'app', 'channel'],
      attributes: { inputs: ['hdmi1', 'hdmi2', 'tv'], apps: ['netflix', 'youtube'], playbackStates: ['playing', 'paused', 'stopped'] },
      state: { on: false, volume: 20, muted: false, playback: 'stopped', input: 'hdmi1', app: null, channel: 1 },
    },
  },
  air_conditioner: {
    traits: ['onOff', 'thermostat', 'fanSpeed'], words: { en: ['air conditioner', 'ac', 'air conditioning', 'aircon'], zh: ['空调'] },
    simulated: {
      traits: ['onOff', 'thermostat', 'fanSpeed'],
      attributes: { modes: ['cool', 'heat', 'dry', 'fan', 'auto'], minC: 16, maxC: 30, fanSpeeds: ['auto', 'low', 'medium', 'high'] },
      state: { on: false, mode: 'auto', targetC: 26, ambientC: 28, fanSpeed: 'auto' },
    },
  },
  heater: {
    traits: ['onOff', 'thermostat'], words: { en: ['heater', 'heating'], zh: ['取暖器', '暖气', '电暖器'] },
    simulated: { traits: ['onOff', 'thermostat'], attributes: { modes: ['heat'], minC: 10, maxC: 28 }, state: { on: false, mode: 'heat', targetC: 20, ambientC: 17 } },
  },
  water_heater: {
    traits: ['onOff', 'thermostat'], words: { en: ['water heater', 'boiler'], zh: ['热水器'] },
    simulated: { traits: ['onOff', 'thermostat'], attributes: { modes: ['heat'], minC: 35, maxC: 75 }, state: { on: true, mode: 'heat', targetC: 50, ambientC: 48 } },
  },
  fan: {
    traits: ['onOff', 'fanSpeed'], runsBy: ['fanSpeed'], words: { en: ['fan', 'fans'], zh: ['风扇', '排气扇'] },
    simulated: { traits: ['onOff', 'fanSpeed'], attributes: { fanSpeeds: ['low', 'medium', 'high'] }, state: { on: false, fanSpeed: 'low' } },
  },
  // a motorised curtain track takes about 20 s, a car's power window about 4 s, a powered tailgate about 6 s
  curtain: {
    traits: ['position'], travelMs: { position: 20_000 }, words: { en: ['curtain', 'curtains', 'blinds', 'drapes'], zh: ['窗帘'] },
    simulated: { traits: ['position'], attributes: {}, state: { position: 0 } },
  },
  window: {
    traits: ['position'], travelMs: { position: 4_000 }, confirm: ['open'], opensDownwards: true, words: { en: ['window', 'windows'], zh: ['窗户', '车窗'] },
    simulated: { traits: ['position'], attributes: {}, state: { position: 0 } },
  },
  // a garage door opener takes about 15 s end to end; like a window, it never opens unasked
  garage_door: {
    traits: ['position'], travelMs: { position: 15_000 }, confirm: ['open'], words: { en: ['garage door', 'garage doors'], zh: ['车库门'] },
    simulated: { traits: ['position'], attributes: {}, state: { position: 0 } },
  },
  // a motorised ball valve on a water or gas line takes about 10 s; normally open, and it never opens unasked (it may
  // have been shut on a leak)
  valve: {
    traits: ['position'], travelMs: { position: 10_000 }, confirm: ['open'], words: { en: ['valve', 'valves'], zh: ['阀门', '阀'] },
    simulated: { traits: ['position'], attributes: {}, state: { position: 100 } },
  },
  trunk: {
    traits: ['position'], travelMs: { position: 6_000 }, confirm: ['open'], words: { en: ['trunk', 'boot', 'tailgate'], zh: ['后备箱', '尾门'] },
    simulated: { traits: ['position'], attributes: {}, state: { position: 0 } },
  },
  speaker: {
    traits: ['onOff', 'volume', 'playback', 'microphone', 'audioOutput'], words: { en: ['speaker', 'music'], zh: ['音箱', '音响', '音乐'] },
    simulated: { traits: ['volume', 'playback'], attributes: { playbackStates: ['playing', 'paused', 'stopped'] }, state: { volume: 30, muted: false, playback: 'paused' } },
  },
  vacuum: {
    traits: ['vacuum'], roams: true, words: { en: ['vacuum', 'robot vacuum', 'hoover'], zh: ['扫地机器人', '扫地机'] },
    simulated: { traits: ['vacuum'], attributes: { statuses: ['docked', 'cleaning', 'paused', 'returning'] }, state: { status: 'docked', batteryPct: 100 } },
  },
  lawn_mower: {
    traits: ['mower'], roams: true, words: { en: ['lawn mower', 'mower', 'robot mower', 'robot lawn mower'], zh: ['割草机', '割草机器人'] },
    simulated: { traits: ['mower'], attributes: { statuses: ['docked', 'mowing', 'paused', 'returning'] }, state: { status: 'docked', batteryPct: 100 } },
  },
  sensor: {
    // any sensor row (traits/readings.ts) besides the classic ones
    traits: ['temperature', 'humidity', 'contact', 'motion', 'smoke', 'leak', 'battery', 'powerMeter', 'airQuality', ...SENSOR_TRAITS], words: { en: ['sensor'], zh: ['传感器'] },
    simulated: { traits: ['temperature', 'humidity'], attributes: {}, state: { temperatureC: 22, humidityPct: 50 } },
  },
  fridge: {
    traits: ['fridge'], words: { en: ['fridge', 'refrigerator'], zh: ['冰箱'] },
    simulated: {
      traits: ['fridge'],
      attributes: { modes: ['normal', 'eco', 'vacation', 'super_cool'], fridgeMinC: 2, fridgeMaxC: 8, freezerMinC: -24, freezerMaxC: -15 },
      state: { fridgeC: 4, freezerC: -18, mode: 'normal' },
    },
  },
  washer: {
    traits: ['program'], words: { en: ['washing machine', 'washer'], zh: ['洗衣机'] },
    simulated: { traits: ['program'], attributes: { programs: ['cotton', 'quick', 'wool'] }, state: { running: false, program: 'cotton', remainingMin: 0 } },
  },
  dishwasher: {
    traits: ['program'], words: { en: ['dishwasher'], zh: ['洗碗机'] },
    simulated: { traits: ['program'], attributes: { programs: ['eco', 'quick', 'intensive'] }, state: { running: false, program: 'eco', remainingMin: 0 } },
  },
  lock: {
    traits: ['lock'], words: { en: ['lock', 'door'], zh: ['锁', '门锁'] },
    simulated: { traits: ['lock'], attributes: {}, state: { locked: true } },
  },
  seat_heater: {
    traits: ['level'], words: { en: ['seat heater', 'seat heating'], zh: ['座椅加热'] },
    simulated: { traits: ['level'], attributes: { minLevel: 0, maxLevel: 3 }, state: { level: 0 } },
  },
  navigation: {
    traits: ['navigation'], words: { en: ['navigation', 'nav'], zh: ['导航'] },
    simulated: { traits: ['navigation'], attributes: {}, state: { destination: null } },
  },
  plug: {
    traits: ['onOff', 'powerMeter'], words: { en: ['plug', 'socket', 'outlet', 'smart plug'], zh: ['插座', '智能插座'] },
    simulated: { traits: ['onOff', 'powerMeter'], attributes: {}, state: { on: false, powerW: 0, energyKWh: 0 } },
  },
  air_purifier: {
    traits: ['onOff', 'fanSpeed', 'mode', 'airQuality'],
    words: { en: ['air purifier', 'purifier', 'air cleaner'], zh: ['空气净化器', '净化器'] },
    simulated: {
      traits: ['onOff', 'fanSpeed', 'mode', 'airQuality'],
      attributes: { fanSpeeds: ['low', 'medium', 'high'], modes: ['auto', 'sleep', 'turbo'] },
      state: { on: false, fanSpeed: 'low', mode: 'auto', pm25: 35 },
    },
  },
  ev_battery: {
    traits: ['charging'], words: { en: ['battery', 'charging'], zh: ['电池', '充电'] },
    simulated: { traits: ['charging'], attributes: { minLimitPct: 50, maxLimitPct: 100 }, state: { charging: false, batteryPct: 62, chargeLimitPct: 80 } },
  },
} as const satisfies Record<string, DeviceTypeSpec>;

export type DeviceType = keyof typeof DEVICE_TYPES;
/** a type's declaration, read as the general shape (optional parts included) */
export const deviceTypeSpec = (type: string): DeviceTypeSpec | undefined => (DEVICE_TYPES as Record<string, DeviceTypeSpec>)[type];
export const DEVICE_TYPE_IDS = Object.keys(DEVICE_TYPES) as [DeviceType, ...DeviceType[]];
