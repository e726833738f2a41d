import { describe, expect, it } from 'vitest';
import { normalize } from '@steward/hub/understanding/text.ts';
import { detect } from '@steward/hub/understanding/languages/index.ts';
import { acts } from './helpers/understanding.ts';

describe('normalisation', () => {
  it('folds full-width forms, Chinese punctuation and case', () => {
    expect(normalize('打开ＴＶ，然后关灯！').text).toBe('打开tv, 然后关灯!');
    expect(normalize('Turn ON  the   TV').text).toBe('turn on the tv');
    expect(normalize("what's the car's battery?").text).toBe('what the car battery?');
    expect(normalize('空调调到２４℃').text).toBe('空调调到24°c');
    expect(normalize('打开 客厅 灯').text).toBe('打开客厅灯');
    expect(normalize('twenty-four').text).toBe('twenty four');
  });

  it('keeps where each character came from', () => {
    const n = normalize('Navigate to Heathrow!');
    expect(n.original.slice(n.origin[12]!, n.origin[19]! + 1)).toBe('Heathrow');
  });

  it('detects the language from Chinese characters', () => {
    expect(detect(normalize('turn on the TV')).tag).toBe('en');
    expect(detect(normalize('打开 TV')).tag).toBe('zh');
  });
});

describe('spoken Chinese', () => {
  it.each([
    ['请打开电视机', 'turnOn'],
    ['帮我打开电视吧', 'turnOn'],
    ['麻烦把电视打开一下', 'turnOn'],
    ['给我开一下电视啊', 'turnOn'],
    ['打开 TV', 'turnOn'],
    ['打开ＴＶ', 'turnOn'],
    ['电视关了吧', 'turnOff'],
    ['把电视关掉呢', 'turnOff'],
  ])('%s', (text, command) => {
    expect(acts(text)).toEqual([['living_room_tv', command, {}]]);
  });

  it('full-width digits and signs', () => {
    expect(acts('空调调到２４度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 24 }]]);
    expect(acts('卧室灯调到４０％')).toContainEqual(['bedroom_light', 'setBrightness', { brightness: 40 }]);
  });

  it('English words inside Chinese sentences', () => {
    expect(acts('电视切换到HDMI2')).toContainEqual(['living_room_tv', 'setInput', { input: 'hdmi2' }]);
    expect(acts('电视打开Netflix')).toContainEqual(['living_room_tv', 'openApp', { app: 'netflix' }]);
    expect(acts('打开AC')).toEqual([['living_room_ac', 'turnOn', {}]]);
  });

  it('topic-comment and complaints', () => {
    expect(acts('空调二十四度')).toEqual([['living_room_ac', 'turnOn', {}], ['living_room_ac', 'setTargetTemperature', { celsius: 24 }]]);
    expect(acts('电视声音小点')).toEqual([['living_room_tv', 'adjustVolume', { delta: -10 }]]);
    expect(acts('卧室灯太暗了')).toEqual([['bedroom_light', 'turnOn', {}], ['bedroom_light', 'adjustBrightness', { delta: 20 }]]);
  });
});

describe('spoken English', () => {
  it.each([
    'please turn on the TV',
    'could you switch the TV on',
    'hey steward, turn on the TV please',
    'Turn On The TV.',
    'TV on',
    'is it possible to turn on the TV?',
  ])('%s', (text) => {
    expect(acts(text)).toEqual([['living_room_tv', 'turnOn', {}]]);
  });
});
