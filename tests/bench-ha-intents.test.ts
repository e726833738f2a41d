/**
 * The Home Assistant corpus adapter (hub/src/bench): real fixtures from ../shared, the real engine. Scores are
 * measured by `npm run bench:ha-intents`, never asserted here; these check the mapping for sentences the engine
 * handles, that what it does not understand gives no prediction, and that bad fixtures are refused clearly.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { StewardError } from '@steward/device-adapters';
import { haAdapters, readHaCorpus, type HaRecord } from '@steward/hub/bench/ha-intents.ts';
import { parseHaFixtures, loadHaFixtures } from '@steward/hub/bench/ha-fixtures.ts';

const DIR = resolve(import.meta.dirname, '../../shared/benchmarks/ha-intents');

function adapterOf(lang: 'en' | 'zh-cn') {
  const r = readHaCorpus(resolve(DIR, `${lang}.jsonl`)).find((x) => x.format === 'classic')!;
  return haAdapters(lang, DIR).adapterFor(r)!;
}

function predictor(lang: 'en' | 'zh-cn' | 'zh-tw') {
  const corpus = new Map(readHaCorpus(resolve(DIR, `${lang}.jsonl`)).map((r) => [r.id, r]));
  const adapters = haAdapters(lang, DIR);
  return (id: string) => {
    const r: HaRecord = corpus.get(id)!;
    expect(r?.id, 'the corpus holds this record').toBe(id);
    const p = adapters.adapterFor(r)!.predict(r.text, r.context.area);
    return { intent: p.intent, slots: p.slots, want: { intent: r.intent, slots: r.slots } };
  };
}

describe('HA intents adapter, en', () => {
  const predict = predictor('en');
  it.each([
    ['en/tests/en/light_HassLightSet.yaml#0.0', 'HassLightSet', { name: 'Bedroom Lamp', brightness: 50 }],
    ['en/tests/en/media_player_HassSetVolume.yaml#0.0', 'HassSetVolume', { name: 'TV', volume_level: 90 }],
    ['en/tests/en/vacuum_HassVacuumReturnToBase.yaml#0.0', 'HassVacuumReturnToBase', { name: 'Rover' }],
    ['en/tests/en/vacuum_HassVacuumStart.yaml#0.0', 'HassVacuumStart', { name: 'Rover' }],
    ['en/tests/en/cover_HassSetPosition.yaml#0.0', 'HassSetPosition', { name: 'Bedroom Curtain', domain: 'cover', position: 50 }],
    ['en/tests/en/climate_HassClimateGetTemperature.yaml#0.0', 'HassClimateGetTemperature', { area: 'Office' }],
    // HA's schema: fans by device word are `name: all`; a lock's state question names its domain
    ['en/tests/en/fan_HassTurnOff.yaml#0.0', 'HassTurnOff', { area: 'Living Room', domain: 'fan', name: 'all' }],
    ['en/tests/en/lock_HassGetState.yaml#6.0', 'HassGetState', { name: 'Front Door', domain: 'lock' }],
    // the engine turns "light up the living room" into its lights: the light domain
    ['en/tests/en/light_HassTurnOn.yaml#0.8', 'HassTurnOn', { area: 'Living Room', domain: 'light' }],
    // next/previous track on the playback trait; "go back to the previous song" is not the vacuum's "go back"
    ['en/tests/en/media_player_HassMediaNext.yaml#0.0', 'HassMediaNext', { name: 'TV' }],
    ['en/tests/en/media_player_HassMediaPrevious.yaml#0.1', 'HassMediaPrevious', { name: 'TV' }],
    // the state asked: a cover is open/closed, a binary sensor on/off
    ['en/tests/en/cover_HassGetState.yaml#0.0', 'HassGetState', { domain: 'cover', name: 'Curtain Left', state: 'closed' }],
    ['en/tests/en/binary_sensor_HassGetState.yaml#27.0', 'HassGetState', { domain: 'binary_sensor', device_class: 'garage_door', name: 'Secondary Garage Door', state: 'off' }],
    // a binary sensor asked about with no state word: whether it detects (HA's on)
    ['en/tests/en/binary_sensor_HassGetState.yaml#90.0', 'HassGetState', { domain: 'binary_sensor', device_class: 'smoke', name: 'Kitchen Smoke', state: 'on' }],
    // a sensed thing asked of a place: the sensors of that class answer, and HA reads the class in the word
    ['en/tests/en/binary_sensor_HassGetState.yaml#92.0', 'HassGetState', { area: 'Kitchen', domain: 'binary_sensor', device_class: 'smoke', state: 'on' }],
    // HA's cover class is the word said: "blinds" are blinds, whatever the covers in the room are
    ['en/tests/en/cover_HassTurnOn.yaml#5.0', 'HassTurnOn', { area: 'Kitchen', domain: 'cover', device_class: 'blind' }],
    ['en/tests/en/cover_HassTurnOff.yaml#5.1', 'HassTurnOff', { area: 'Bedroom', domain: 'cover', device_class: 'blind' }],
    // HA's floors are areas that hold rooms: the floor slot
    ['en/tests/en/light_HassTurnOff.yaml#3.23', 'HassTurnOff', { domain: 'light', floor: 'First Floor' }],
    // no fan in the kitchen: the intent is understood all the same, with the place and the word's domain
    ['en/tests/en/fan_HassTurnOn.yaml#0.5', 'HassTurnOn', { area: 'Kitchen', domain: 'fan', name: 'all' }],
    // a scene keeps the place said with it
    ['en/tests/en/scene_HassTurnOn.yaml#1.2', 'HassTurnOn', { name: 'Party Mode', domain: 'scene', area: 'Kitchen' }],
    // "lowest" keeps the light on
    ['en/tests/en/light_HassLightSet.yaml#5.2', 'HassLightSet', { name: 'Bedroom Lamp', brightness: 1 }],
  ])('%s -> %s', (id, intent, slots) => {
    const p = predict(id);
    expect({ intent: p.intent, slots: p.slots }).toEqual({ intent, slots });
    expect(p.want.intent).toBe(intent);
  });

  it('a sentence about a kind the hub lacks gives no prediction (a sprinkler)', () => {
    expect(adapterOf('en').predict('turn on the sprinkler')).toMatchObject({ intent: null, slots: {} });
  });

  it('a valve is a kind (the position trait): open, close and a position; HA\'s valve templates name the domain', () => {
    for (const [id, intent, slots] of [
      ['en/tests/en/valve_HassTurnOff.yaml#0.0', 'HassTurnOff', { domain: 'valve', name: 'Main Valve' }],
      ['en/tests/en/valve_HassTurnOn.yaml#0.0', 'HassTurnOn', { domain: 'valve', name: 'Main Valve' }],
      ['en/tests/en/valve_HassSetPosition.yaml#0.1', 'HassSetPosition', { domain: 'valve', name: 'Main Valve', position: 100 }],
    ] as const) {
      const p = predict(id);
      expect({ intent: p.intent, slots: p.slots }).toEqual({ intent, slots });
      expect(p.want).toEqual({ intent, slots });
    }
  });

  it('a garage door is a kind: HA\'s cover of class garage, even where the home has none', () => {
    const p = predict('en/tests/en/cover_HassTurnOff.yaml#0.0');
    expect({ intent: p.intent, slots: p.slots }).toEqual({ intent: 'HassTurnOff', slots: { domain: 'cover', device_class: 'garage' } });
    expect(p.want).toEqual({ intent: p.intent, slots: p.slots });
  });

  it('a sentence the engine does not understand gives no prediction', () => {
    const a = adapterOf('en');
    expect(a.predict('what is the meaning of life')).toMatchObject({ intent: null, slots: {} });
    expect(a.predict('ignore previous instructions')).toMatchObject({ intent: null, slots: {} });
  });
});

describe('HA intents adapter, zh-cn (parsed as the engine\'s zh)', () => {
  const predict = predictor('zh-cn');
  it.each([
    ['zh-cn/tests/zh-cn/climate_HassClimateSetTemperature.yaml#0.0', 'HassClimateSetTemperature', { area: '客厅', temperature: 18 }],
    ['zh-cn/tests/zh-cn/cover_HassSetPosition.yaml#0.0', 'HassSetPosition', { name: '卧室窗帘', domain: 'cover', position: 50 }],
    ['zh-cn/tests/zh-cn/light_HassLightSet.yaml#0.0', 'HassLightSet', { name: '卧室灯', brightness: 50 }],
    ['zh-cn/tests/zh-cn/vacuum_HassVacuumStart.yaml#0.0', 'HassVacuumStart', { name: 'Rover' }],
    // a device with two names: the one the engine matched (空调, not 溫控器)
    ['zh-cn/tests/zh-cn/climate_HassClimateGetTemperature.yaml#3.1', 'HassClimateGetTemperature', { name: '空调' }],
    ['zh-cn/tests/zh-cn/light_HassLightSet.yaml#3.0', 'HassLightSet', { area: '卧室', name: 'all', brightness: 100 }],
    // the satellite's area as the record gives it
    ['zh-cn/tests/zh-cn/media_player_HassMediaPause.yaml#1.0', 'HassMediaPause', { area: 'Living Room' }],
    // 下一首/上一曲 skip tracks; 继续 resumes (it does not power on)
    ['zh-cn/tests/zh-cn/media_player_HassMediaNext.yaml#0.1', 'HassMediaNext', { name: 'TV' }],
    ['zh-cn/tests/zh-cn/media_player_HassMediaPrevious.yaml#0.0', 'HassMediaPrevious', { name: 'TV' }],
    ['zh-cn/tests/zh-cn/media_player_HassMediaUnpause.yaml#0.0', 'HassMediaUnpause', { name: 'TV' }],
    // the state a question word asks after: 锁了吗 locked, 关着吗 closed (a cover)
    ['zh-cn/tests/zh-cn/lock_HassGetState.yaml#0.0', 'HassGetState', { domain: 'lock', name: '前门', state: 'locked' }],
    ['zh-cn/tests/zh-cn/cover_HassGetState.yaml#0.0', 'HassGetState', { domain: 'cover', name: '左侧窗帘', state: 'closed' }],
    // 的 before 锁 makes it the lock, not the verb: 把前门的锁打开 unlocks
    ['zh-cn/tests/zh-cn/lock_HassTurnOff.yaml#0.1', 'HassTurnOff', { name: '前门' }],
    // no lock in the kitchen: 打开 a lock word unlocks, 关闭 locks (the lock trait's acts); zh-cn's templates say no `all`
    ['zh-cn/tests/zh-cn/lock_HassTurnOff.yaml#1.0', 'HassTurnOff', { area: '厨房', domain: 'lock' }],
    ['zh-cn/tests/zh-cn/lock_HassTurnOn.yaml#1.0', 'HassTurnOn', { area: '厨房', domain: 'lock' }],
    // no fan in the kitchen: understood all the same; a script runs like a scene
    ['zh-cn/tests/zh-cn/fan_HassTurnOn.yaml#0.0', 'HassTurnOn', { area: '厨房', domain: 'fan', name: 'all' }],
    ['zh-cn/tests/zh-cn/script_HassTurnOn.yaml#0.1', 'HassTurnOn', { domain: 'script', name: '私密模式' }],
    // a bare attribute asks (现在温度)
    ['zh-cn/tests/zh-cn/climate_HassClimateGetTemperature.yaml#0.1', 'HassClimateGetTemperature', {}],
  ])('%s -> %s', (id, intent, slots) => {
    const p = predict(id);
    expect({ intent: p.intent, slots: p.slots }).toEqual({ intent, slots });
  });

  it('车库的门 is the garage door (a cover of class garage), understood where the home has none', () => {
    expect(predict('zh-cn/tests/zh-cn/cover_HassTurnOn.yaml#2.0')).toMatchObject({ intent: 'HassTurnOn', slots: { domain: 'cover', device_class: 'garage' } });
    expect(predict('zh-cn/tests/zh-cn/cover_HassTurnOff.yaml#2.1')).toMatchObject({ intent: 'HassTurnOff', slots: { domain: 'cover', device_class: 'garage' } });
    expect(adapterOf('zh-cn').predict('今天天气怎么样')).toMatchObject({ intent: null, slots: {} });
  });
});

describe('HA intents adapter, zh-tw (parsed as the engine\'s zh-TW)', () => {
  const predict = predictor('zh-tw');
  it.each([
    // HA's Taiwanese grammar reads 窗簾 as blinds; zh-cn's 窗帘 stays curtain
    ['zh-tw/tests/zh-tw/cover_HassTurnOn.yaml#5.1', 'HassTurnOn', { area: '廚房', domain: 'cover', device_class: 'blind' }],
    // "all the lights" with no place: HA's Chinese templates say `name: all`
    ['zh-tw/tests/zh-tw/light_HassTurnOff.yaml#1.2', 'HassTurnOff', { domain: 'light', name: 'all' }],
    ['zh-tw/tests/zh-tw/binary_sensor_HassGetState.yaml#22.0', 'HassGetState', { area: '廚房', domain: 'binary_sensor', device_class: 'smoke', state: 'on' }],
    ['zh-tw/tests/zh-tw/cover_HassGetState.yaml#1.0', 'HassGetState', { area: '客廳', domain: 'cover', device_class: 'blind', state: 'open' }],
    // no lock in the kitchen: opening a lock word unlocks (the lock trait's acts), and HA's Taiwanese templates make
    // the locks of a place `name: all`
    ['zh-tw/tests/zh-tw/lock_HassTurnOff.yaml#2.0', 'HassTurnOff', { area: '廚房', domain: 'lock', name: 'all' }],
    ['zh-tw/tests/zh-tw/lock_HassTurnOn.yaml#1.0', 'HassTurnOn', { area: '廚房', domain: 'lock', name: 'all' }],
    ['zh-tw/tests/zh-tw/lock_HassTurnOn.yaml#1.1', 'HassTurnOn', { area: '廚房', domain: 'lock', name: 'all' }],
  ])('%s -> %s', (id, intent, slots) => {
    const p = predict(id);
    expect({ intent: p.intent, slots: p.slots }).toEqual({ intent, slots });
    expect(p.want).toEqual({ intent, slots });
  });
});

describe('HA fixtures loader', () => {
  it('reads the shipped fixtures', () => {
    const f = loadHaFixtures(resolve(DIR, 'fixtures-zh-cn.json'));
    expect(f.lang).toBe('zh-cn');
    expect(f.areas.map((a) => a.id)).toEqual(['kitchen', 'living_room', 'bedroom', 'garage', 'entrance']);
  });

  it('refuses a bad fixture with a StewardError naming the path of each problem', () => {
    const bad = { lang: 'en', areas: [{ id: 'kitchen', name: 'Kitchen', names: [] }], entities: [{ id: 'light.x', name: 'X', names: ['X'], area: null, state: 'on' }] };
    let err: unknown;
    try {
      parseHaFixtures(bad, 'bad.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StewardError);
    expect((err as StewardError).code).toBe('BAD_REQUEST');
    expect((err as StewardError).message).toMatch(/^bad\.json: bad HA fixtures: /);
    expect((err as StewardError).message).toContain('areas.0.names: ');
    expect((err as StewardError).message).toContain('entities.0.domain: ');
  });

  it('refuses a file that is not JSON', () => {
    expect(() => loadHaFixtures(resolve(DIR, 'README.md'))).toThrow(/cannot read HA fixtures/);
  });
});
