/**
 * Traditional Chinese (zh-TW) and Cantonese (zh-HK), through real parts: the real hub over HTTP, its embedded broker
 * and node-agent processes for the living room and the hallway. Text in Traditional characters is read as zh-TW and
 * answered in Traditional characters; Cantonese (閂燈, 開咗未, 啲) is read as zh-HK and answered in Cantonese; a
 * request's `lang` (zh-Hant and yue fold in) sets the reply's language. Device states are what the nodes report.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeReports } from './helpers/hub-nodes.ts';
import { subsetHome, writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';
import { LANGUAGES, detect, languageOf } from '@steward/hub/understanding/languages/index.ts';
import { langTagOf } from '@steward/hub/core/lang-tags.ts';
import { normalize } from '@steward/hub/understanding/text.ts';

const home = subsetHome(['living-room-gateway', 'hallway-gateway']);

let t: TestHub;
let nodes: NodeReports;
let n = 0;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(home), demo: true });
  nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
}, 90_000);

afterAll(async () => {
  await nodes?.close();
  await t?.stop();
});

beforeEach(async () => {
  n += 1;
  await t.hub.resetDevices();
  t.hub.pipeline.confirmations.clear();
  await nodes.waitForValue('living_room_light', 'on', false);
  await nodes.waitForValue('front_door_lock', 'locked', true);
});

const say = async (text: string, extra: Record<string, unknown> = {}) => {
  const r = await t.api.post('/api/command', { text, conversationId: `zh-hant-${n}`, ...extra });
  expect(r.status).toBe(200);
  return r.body as { reply: string; awaitingConfirmation: boolean; actions: { deviceId: string; command: string; ok: boolean }[] };
};

describe('which language a text is in', () => {
  it.each([
    ['turn on the light', 'en'],
    ['打开客厅灯', 'zh'],
    ['打開客廳的燈', 'zh-TW'],
    ['冷氣開著嗎', 'zh-TW'],
    ['閂客廳燈', 'zh-HK'],
    ['客廳燈開咗未', 'zh-HK'],
    ['唔該開燈', 'zh-HK'],
    ['開啲燈', 'zh-HK'],
  ])('%s → %s', (text, tag) => {
    expect(detect(normalize(text)).tag).toBe(tag);
  });

  it('other spellings of the tags fold to the one that reads and answers them', () => {
    expect(langTagOf('zh-Hant')).toBe('zh-TW');
    expect(langTagOf('zh_Hant_TW')).toBe('zh-TW');
    expect(langTagOf('zh-Hant-HK')).toBe('zh-HK');
    expect(langTagOf('yue')).toBe('zh-HK');
    expect(langTagOf('zh-Hans')).toBe('zh');
    expect(langTagOf('en-US')).toBe('en');
    expect(langTagOf('fr')).toBeUndefined();
    expect(languageOf('zh-hk').tag).toBe('zh-HK');
    expect(Object.keys(LANGUAGES)).toEqual(['en', 'zh', 'zh-TW', 'zh-HK']);
  });

  it('each language joins its reply sentences its own way', () => {
    expect(LANGUAGES.en.joiner).toBe(' ');
    expect(LANGUAGES['zh-TW'].joiner).toBe('');
    expect(LANGUAGES['zh-HK'].fromBase('客厅灯已关闭。')).toBe('客廳燈已經閂咗。');
  });
});

describe('zh-TW: Traditional characters in, Traditional characters out', () => {
  it('打開客廳的燈 turns the light on and says so in Traditional characters', async () => {
    const r = await say('打開客廳的燈');
    expect(r.reply).toBe('客廳燈已打開。');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.ok])).toEqual([['living_room_light', 'turnOn', true]]);
    await nodes.waitForValue('living_room_light', 'on', true);
  });

  it('把客廳燈亮度調到百分之三十: a Chinese numeral, a Traditional answer', async () => {
    const r = await say('把客廳燈亮度調到百分之三十');
    expect(r.reply).toBe('客廳燈亮度已調到30%。');
    await nodes.waitForValue('living_room_light', 'brightness', 30);
    expect(nodes.value('living_room_light', 'on')).toBe(true);
  });

  it('a question in Traditional characters is answered from the node’s state', async () => {
    expect((await say('客廳燈開著嗎')).reply).toBe('客廳燈關著。');
  });

  it('lang zh-Hant on Simplified text answers in Traditional characters', async () => {
    const r = await say('打开落地灯', { lang: 'zh-Hant' });
    expect(r.reply).toBe('落地燈已打開。');
    await nodes.waitForValue('floor_lamp', 'on', true);
  });

  it('an unlock waits for the yes, asked in Traditional characters; 確認 unlocks', async () => {
    const r = await say('打開大門');
    expect(r.awaitingConfirmation).toBe(true);
    expect(r.reply).toBe('確定要打開門鎖嗎？請說“確認”或“取消”。');
    await new Promise((res) => setTimeout(res, 300));
    expect(nodes.value('front_door_lock', 'locked')).toBe(true);
    const yes = await say('確認');
    expect(yes.reply).toBe('好的，已確認。');
    await nodes.waitForValue('front_door_lock', 'locked', false);
  });
});

describe('zh-HK: Cantonese in, Cantonese out', () => {
  it('閂燈: 閂客廳燈 turns the light off; the answer is 已經閂咗', async () => {
    await say('開客廳燈');
    await nodes.waitForValue('living_room_light', 'on', true);
    const r = await say('閂客廳燈');
    expect(r.reply).toBe('客廳燈已經閂咗。');
    await nodes.waitForValue('living_room_light', 'on', false);
  });

  it('開咗未 asks, in Cantonese, and moves nothing', async () => {
    const r = await say('客廳燈開咗未');
    expect(r.reply).toBe('客廳燈閂咗。');
    expect(r.actions).toEqual([]);
    await say('唔該開客廳燈');
    await nodes.waitForValue('living_room_light', 'on', true);
    expect((await say('客廳燈開咗未')).reply).toBe('客廳燈開咗。');
  });

  it('啲燈 較高啲: a bit brighter, said in Cantonese', async () => {
    const before = nodes.value('living_room_light', 'brightness') as number;
    const r = await say('客廳啲燈較高啲');
    expect(r.reply).toBe('客廳燈已調亮。');
    expect(r.actions.map((a) => [a.deviceId, a.command, a.ok])).toEqual([['living_room_light', 'turnOn', true], ['living_room_light', 'adjustBrightness', true]]);
    await nodes.waitForValue('living_room_light', 'on', true);
    await nodes.waitForValue('living_room_light', 'brightness', Math.min(100, before + 20));
  });

  it('a name it does not know is said back in Cantonese, and nothing moves (no model: the router says so, in Cantonese too)', async () => {
    const r = await say('閂車房燈');
    expect(r.reply).toBe('搵唔到“車房燈”呢個設備，乜嘢都冇改。開放式嘅請求需要語言模型：啟動中樞時加上 --llm-url 和 --llm-model，或 --llm-gguf。');
    expect(r.actions).toEqual([]);
  });

  it('lang yue on Mandarin text answers in Cantonese', async () => {
    const r = await say('打开客厅灯', { lang: 'yue' });
    expect(r.reply).toBe('客廳燈已經開咗。');
    await nodes.waitForValue('living_room_light', 'on', true);
  });

  it('an unknown language tag is a clear 400, and the hub keeps answering', async () => {
    const r = await t.api.post('/api/command', { text: '開燈', lang: 'fr' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'body.lang: unknown language "fr": use one of en, zh, zh-TW, zh-HK' } });
    expect((await say('客廳燈開咗未')).reply).toBe('客廳燈閂咗。');
  });
});
