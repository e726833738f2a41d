import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHome } from '@steward/device-adapters';
import { createUnderstanding, homeViewFromHome } from '@steward/hub/understanding/index.ts';
import { normalize } from '@steward/hub/understanding/text.ts';
import { detect } from '@steward/hub/understanding/languages/index.ts';
import { parse, acts } from './helpers/understanding.ts';

const query = (text: string) => {
  const r = parse(text);
  expect(r.clauses.map((c) => c.kind)).toEqual(['query']);
  return (r.clauses[0] as { reply: string }).reply;
};

describe('Traditional characters (zh-TW) fold to Simplified in normalisation', () => {
  it('the normaliser folds home-control characters and keeps the origin of each', () => {
    const n = normalize('打開客廳的燈');
    expect(n.text).toBe('打开客厅的灯');
    expect(n.origin).toEqual([0, 1, 2, 3, 4, 5]);
    expect(n.traditional).toBe(true);
    expect(detect(n).tag).toBe('zh-TW');
    expect(normalize('把臥室溫度調到二十六度').text).toBe('把卧室温度调到二十六度');
    // characters outside the table pass through unchanged; Simplified text is untouched
    expect(normalize('打开客厅的灯').text).toBe('打开客厅的灯');
  });

  it('commands in Traditional characters act as their Simplified forms do', () => {
    expect(acts('打開客廳的燈')).toEqual([['living_room_light', 'turnOn', {}]]);
    expect(acts('關閉電視')).toEqual([['living_room_tv', 'turnOff', {}]]);
    expect(acts('把臥室空調調到二十六度')).toEqual([
      ['bedroom_ac', 'turnOn', {}],
      ['bedroom_ac', 'setTargetTemperature', { celsius: 26 }],
    ]);
    expect(acts('把廚房燈亮度調到百分之五十')).toEqual([['kitchen_light', 'setBrightness', { brightness: 50 }]]);
  });

  it('questions in Traditional characters are answered in Traditional characters (zh-TW)', () => {
    expect(parse('客廳燈開著嗎').lang).toBe('zh-TW');
    expect(query('客廳燈開著嗎')).toBe('客廳燈關著。');
  });
});

describe('Cantonese (zh-HK) words', () => {
  it('閂 turns off, with 晒/佢 and 嘅 as 的', () => {
    expect(acts('閂客廳燈')).toEqual([['living_room_light', 'turnOff', {}]]);
    expect(acts('客廳啲燈閂晒佢')).toEqual([['living_room_light', 'turnOff', {}]]);
    expect(acts('關閉廚房嘅燈')).toEqual([['kitchen_light', 'turnOff', {}]]);
  });

  it('冷氣 is the air conditioner; 光啲 and 細聲啲 adjust a bit', () => {
    expect(acts('開冷氣')).toEqual([['living_room_ac', 'turnOn', {}]]);
    expect(acts('客廳燈光啲')).toEqual([['living_room_light', 'turnOn', {}], ['living_room_light', 'adjustBrightness', { delta: 20 }]]);
    expect(acts('電視細聲啲')).toEqual([['living_room_tv', 'adjustVolume', { delta: -10 }]]);
  });

  it('開咗未 and 邊個 ask about state, answered in Cantonese (zh-HK)', () => {
    expect(parse('客廳燈開咗未').lang).toBe('zh-HK');
    expect(query('客廳燈開咗未')).toBe('客廳燈閂咗。');
    expect(query('邊個燈開咗')).toBe('開咗嘅燈有：廚房燈、床頭燈。');
  });
});

describe('state questions that end in 不 or 咗', () => {
  it('开着不 and 開著咗 ask, they do not switch', () => {
    expect(query('客厅灯开着不')).toBe('客厅灯关着。');
    expect(query('客廳燈開著咗')).toBe('客廳燈閂咗。');
  });
});

describe('開關 (开关, Cantonese 開關制): a switch, or a named device\'s power switch', () => {
  const kinds = createUnderstanding(homeViewFromHome(loadHome(resolve(import.meta.dirname, 'fixtures/kinds-home.json'))));
  const say = (text: string) => kinds.parse(text, {}).clauses.map((c) => ('reply' in c ? c.reply : c.kind)).join(' ');

  it('said alone it is the home\'s switches (our plugs): 全部的開關都是打開的嗎, 廚房有冇開關制開著', () => {
    expect(say('全部的開關都是打開的嗎？')).toBe('插座開著。');
    expect(say('所有的开关都开着吗？')).toBe('插座开着。');
    expect(say('客廳有冇開關制開著？')).toBe('插座開咗。');
  });

  it('with another device named it is that device\'s power: 電視的開關關掉, 關掉客廳燈的開關', () => {
    expect(acts('電視的開關關掉')).toEqual([['living_room_tv', 'turnOff', {}]]);
    expect(acts('关掉客厅灯的开关')).toEqual([['living_room_light', 'turnOff', {}]]);
  });
});

describe('车库的门 (Cantonese 車房嘅門) is the garage door, not a lock in the garage', () => {
  const kinds = createUnderstanding(homeViewFromHome(loadHome(resolve(import.meta.dirname, 'fixtures/kinds-home.json'))));
  const acted = (text: string) => kinds.parse(text, {}).clauses.flatMap((c) => (c.kind === 'act' ? c.actions.map((a) => [a.deviceId, a.command]) : []));
  it('closes and opens the garage door', () => {
    expect(acted('把车库的门关上')).toEqual([['garage_door', 'close']]);
    expect(acted('關閉車房嘅門')).toEqual([['garage_door', 'close']]);
    expect(acted('打开车库的门')).toEqual([['garage_door', 'open']]);
  });
});
