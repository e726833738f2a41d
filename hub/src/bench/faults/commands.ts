import type { Home, HomeDevice } from '@steward/device-adapters';
import { createUnderstanding } from '../../understanding/index.ts';
import { homeViewFromHome } from '../../understanding/static-view.ts';
import type { Prng } from '../fuzz/prng.ts';
import type { TrackedField } from './ledger.ts';

/** one command of the load: over the direct API or as a sentence, with the field it sets and to what */
export interface LoadCommand {
  deviceId: string;
  field: TrackedField;
  value: unknown;
  direct: { command: string; params: Record<string, unknown> };
  /** the sentence that means the same, when the rules understand it as exactly this action */
  text?: string;
}

interface Template {
  field: TrackedField;
  trait: string;
  values: (d: HomeDevice, p: Prng) => unknown;
  direct: (v: unknown) => LoadCommand['direct'];
  en: (name: string, v: unknown) => string;
  zh: (name: string, v: unknown) => string;
}

const range = (d: HomeDevice, lo: string, hi: string, dlo: number, dhi: number): [number, number] => {
  const a = d.attributes as Record<string, unknown>;
  return [typeof a[lo] === 'number' ? (a[lo] as number) : dlo, typeof a[hi] === 'number' ? (a[hi] as number) : dhi];
};

const TEMPLATES: Template[] = [
  {
    field: 'on',
    trait: 'onOff',
    values: (_d, p) => p.chance(0.5),
    direct: (v) => ({ command: v ? 'turnOn' : 'turnOff', params: {} }),
    en: (n, v) => `turn ${v ? 'on' : 'off'} the ${n}`,
    zh: (n, v) => `${v ? '打开' : '关闭'}${n}`,
  },
  {
    field: 'brightness',
    trait: 'brightness',
    values: (_d, p) => p.int(10, 90),
    direct: (v) => ({ command: 'setBrightness', params: { brightness: v } }),
    en: (n, v) => `set the ${n} brightness to ${v} percent`,
    zh: (n, v) => `把${n}亮度调到百分之${v}`,
  },
  {
    field: 'targetC',
    trait: 'thermostat',
    values: (d, p) => {
      const [lo, hi] = range(d, 'minC', 'maxC', 16, 30);
      return p.int(Math.ceil(lo) + 1, Math.floor(hi) - 1);
    },
    direct: (v) => ({ command: 'setTargetTemperature', params: { celsius: v } }),
    en: (n, v) => `set the ${n} to ${v} degrees`,
    zh: (n, v) => `把${n}调到${v}度`,
  },
  {
    field: 'volume',
    trait: 'volume',
    values: (_d, p) => p.int(10, 60),
    direct: (v) => ({ command: 'setVolume', params: { volume: v } }),
    en: (n, v) => `set the ${n} volume to ${v}`,
    zh: (n, v) => `把${n}音量调到${v}`,
  },
];

/**
 * What the load may send to each device: for every tracked trait a device has, a direct command and, where the
 * hub's own rules read it back as exactly that one action on that device (checked here, offline, with the hub's
 * understanding over the same home), the sentence in English or Chinese that says it.
 */
export class CommandCatalog {
  /** device id → the templates that apply, each with the languages whose sentence parses to exactly it */
  private readonly byDevice = new Map<string, { t: Template; langs: ('en' | 'zh')[] }[]>();
  readonly devices: HomeDevice[];

  constructor(private readonly home: Home) {
    const understanding = createUnderstanding(homeViewFromHome(home));
    for (const d of home.devices) {
      const list: { t: Template; langs: ('en' | 'zh')[] }[] = [];
      for (const t of TEMPLATES) {
        if (!d.traits.includes(t.trait as never)) continue;
        const langs: ('en' | 'zh')[] = [];
        for (const lang of ['en', 'zh'] as const) {
          const name = d.names[lang]?.[0];
          if (!name) continue;
          // two values, so a number the rules read another way shows
          const ok = [t.field === 'on' ? true : 41, t.field === 'on' ? false : 23].every((v) => {
            const expected = t.direct(v);
            const clauses = understanding.parse(lang === 'en' ? t.en(name, v) : t.zh(name, v), {}).clauses;
            const c = clauses[0];
            return (
              clauses.length === 1 &&
              c?.kind === 'act' &&
              c.actions.length === 1 &&
              c.actions[0]!.deviceId === d.id &&
              c.actions[0]!.command === expected.command &&
              JSON.stringify(c.actions[0]!.params) === JSON.stringify(expected.params)
            );
          });
          if (ok) langs.push(lang);
        }
        list.push({ t, langs });
      }
      if (list.length > 0) this.byDevice.set(d.id, list);
    }
    this.devices = home.devices.filter((d) => this.byDevice.has(d.id));
  }

  /** how many (device, trait) pairs have a sentence the rules read back exactly */
  get sentences(): number {
    return [...this.byDevice.values()].flat().filter((x) => x.langs.length > 0).length;
  }

  /** a command for the device; `text` asks for a sentence when there is one */
  pick(p: Prng, deviceId: string, text: boolean): LoadCommand {
    const options = this.byDevice.get(deviceId)!;
    const { t, langs } = p.pick(options);
    const device = this.home.devices.find((d) => d.id === deviceId)!;
    const value = t.values(device, p);
    const cmd: LoadCommand = { deviceId, field: t.field, value, direct: t.direct(value) };
    if (text && langs.length > 0) {
      const lang = p.pick(langs);
      const name = device.names[lang]![0]!;
      cmd.text = lang === 'en' ? t.en(name, value) : t.zh(name, value);
    }
    return cmd;
  }

  /** a command that sets a field to the value it had (for the answering checks): the device's first template */
  same(deviceId: string, field: TrackedField, value: unknown): LoadCommand {
    const t = TEMPLATES.find((x) => x.field === field)!;
    return { deviceId, field, value, direct: t.direct(value) };
  }

  /** the first tracked field of a device (its answering check sets it again) */
  fieldOf(deviceId: string): TrackedField | undefined {
    return this.byDevice.get(deviceId)?.[0]?.t.field;
  }
}
