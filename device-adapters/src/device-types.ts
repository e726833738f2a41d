import type { TraitId } from './traits/index.ts';
import type { Need } from './trait.ts';

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
}

export const DEVICE_TYPES = {
  light: { traits: ['onOff', 'brightness', 'colorTemperature', 'color'], serves: ['light'], words: { en: ['light', 'lights', 'lamp', 'lamps'], zh: ['灯', '灯光', '电灯'] } },
  tv: { traits: ['onOff', 'volume', 'playback', 'inputSource', 'app', 'channel'], words: { en: ['tv', 'television'], zh: ['电视', '电视机'] } },
  air_conditioner: { traits: ['onOff', 'thermostat', 'fanSpeed'], words: { en: ['air conditioner', 'ac', 'air conditioning', 'aircon'], zh: ['空调'] } },
  heater: { traits: ['onOff', 'thermostat'], words: { en: ['heater', 'heating'], zh: ['取暖器', '暖气', '电暖器'] } },
  water_heater: { traits: ['onOff', 'thermostat'], words: { en: ['water heater', 'boiler'], zh: ['热水器'] } },
  fan: { traits: ['onOff', 'fanSpeed'], words: { en: ['fan', 'fans'], zh: ['风扇', '排气扇'] } },
  curtain: { traits: ['position'], words: { en: ['curtain', 'curtains', 'blinds', 'drapes'], zh: ['窗帘'] } },
  window: { traits: ['position'], words: { en: ['window', 'windows'], zh: ['窗户', '车窗'] } },
  trunk: { traits: ['position'], words: { en: ['trunk', 'boot', 'tailgate'], zh: ['后备箱', '尾门'] } },
  speaker: { traits: ['onOff', 'volume', 'playback'], words: { en: ['speaker', 'music'], zh: ['音箱', '音响', '音乐'] } },
  vacuum: { traits: ['vacuum'], words: { en: ['vacuum', 'robot vacuum', 'hoover'], zh: ['扫地机器人', '扫地机'] } },
  sensor: { traits: ['temperature', 'humidity', 'contact', 'motion', 'smoke', 'leak', 'battery'], words: { en: ['sensor'], zh: ['传感器'] } },
  fridge: { traits: ['fridge'], words: { en: ['fridge', 'refrigerator'], zh: ['冰箱'] } },
  washer: { traits: ['program'], words: { en: ['washing machine', 'washer'], zh: ['洗衣机'] } },
  dishwasher: { traits: ['program'], words: { en: ['dishwasher'], zh: ['洗碗机'] } },
  lock: { traits: ['lock'], words: { en: ['lock', 'door'], zh: ['锁', '门锁'] } },
  seat_heater: { traits: ['level'], words: { en: ['seat heater', 'seat heating'], zh: ['座椅加热'] } },
  navigation: { traits: ['navigation'], words: { en: ['navigation', 'nav'], zh: ['导航'] } },
  plug: { traits: ['onOff', 'powerMeter'], words: { en: ['plug', 'socket', 'outlet', 'smart plug'], zh: ['插座', '智能插座'] } },
  ev_battery: { traits: ['charging'], words: { en: ['battery', 'charging'], zh: ['电池', '充电'] } },
} as const satisfies Record<string, DeviceTypeSpec>;

export type DeviceType = keyof typeof DEVICE_TYPES;
export const DEVICE_TYPE_IDS = Object.keys(DEVICE_TYPES) as [DeviceType, ...DeviceType[]];
