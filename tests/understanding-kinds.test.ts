/**
 * Kinds the benchmark home lacks, end to end in both languages, through real parts: the real hub with its embedded
 * broker and the kinds home's node-agent processes (tests/fixtures/kinds-home.json: a metering plug, an air
 * purifier, a robot lawn mower, contact, motion, smoke and leak sensors). Commands run on the nodes and answers are
 * read from what the nodes report. The simulators' behaviours of the new kinds run on a manual clock.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICE_TYPES, commandEffect, defaultConfirmRules, loadHome, type DeviceDescriptor } from '@steward/device-adapters';
import { ManualClock, MOWER, PURIFIER, SimulatedDriver } from '@steward/simulators';
import { simulatedDevice } from '@steward/node-agent/pairing/simulate.ts';
import { useConversationHub } from './helpers/conversation-hub.ts';

const HOME_FILE = resolve(import.meta.dirname, 'fixtures/kinds-home.json');
const home = loadHome(HOME_FILE);
const MIN = 60_000;

const hub = useConversationHub({
  conversationPrefix: 'kinds',
  homeFile: HOME_FILE,
  home,
  ready: [['bedroom_purifier', 'on', false], ['lawn_mower', 'status', 'docked'], ['desk_plug', 'on', true]],
  manualTimers: false,
});
const { say } = hub;
const done = async (text: string) => {
  const r = await say(text);
  return { reply: r.reply, actions: r.actions.map((a) => [a.deviceId, a.command, a.params, a.ok]) };
};

describe('a plug with power metering', () => {
  it('says how much power it draws and how much energy it used, from what its node reports', async () => {
    await hub.nodes.waitForValue('desk_plug', 'powerW', 45);
    expect(await done('how much power is the plug using')).toEqual({ reply: 'The desk plug is using 45 W.', actions: [] });
    expect((await say('插座功率多少')).reply).toBe('插座功率45瓦。');
    expect((await say('how much energy has the plug used')).reply).toBe('The desk plug is at 1.2 kWh used.');
    expect((await say('插座用了多少电')).reply).toBe('插座已用电1.2度。');
  });

  it('switches like any device with a power switch', async () => {
    expect(await done('turn off the plug')).toEqual({ reply: 'Desk plug off.', actions: [['desk_plug', 'turnOff', {}, true]] });
    await hub.nodes.waitForValue('desk_plug', 'on', false);
    expect(await done('打开插座')).toEqual({ reply: '插座已打开。', actions: [['desk_plug', 'turnOn', {}, true]] });
    await hub.nodes.waitForValue('desk_plug', 'on', true);
    // a smart switch is the same kind: "the switches" are the home's plugs
    expect(await done('are the switches on?')).toEqual({ reply: 'The desk plug is on.', actions: [] });
  });

  it('a garage door closes like any cover, and opening it waits for a yes', async () => {
    expect(await done('close the garage door')).toEqual({ reply: 'Garage door closing.', actions: [['garage_door', 'close', {}, true]] });
    expect(await done('打开车库门')).toEqual({ reply: '确定要打开车库门吗？请说“确认”或“取消”。', actions: [] });
  });

  it('a question about a kind the home does not have says there is none', async () => {
    expect(await done('is the tv on?')).toEqual({ reply: "There's no tv in your home.", actions: [] });
    expect(await done('电视开着吗')).toEqual({ reply: '家里没有电视。', actions: [] });
    expect(await done('電視開著嗎')).toEqual({ reply: '家裡沒有電視。', actions: [] });
    // and a command to one changes nothing
    expect(await done('turn on the tv')).toEqual({ reply: "There's no tv in your home.", actions: [] });
    // a kind the home has still answers
    expect(await done('is the light on?')).toEqual({ reply: 'The living room light is off.', actions: [] });
  });
});

describe('an air purifier: power, fan speed, mode, PM2.5', () => {
  it('"set the purifier to sleep mode" turns it on in that mode', async () => {
    expect(await done('set the purifier to sleep mode')).toEqual({
      reply: 'Air purifier in sleep mode.',
      actions: [['bedroom_purifier', 'turnOn', {}, true], ['bedroom_purifier', 'selectMode', { mode: 'sleep' }, true]],
    });
    await hub.nodes.waitForValue('bedroom_purifier', 'mode', 'sleep');
    await hub.nodes.waitForValue('bedroom_purifier', 'on', true);
  });

  it('空气净化器调到睡眠模式, 净化器风速调到最大', async () => {
    expect(await done('空气净化器调到睡眠模式')).toEqual({
      reply: '空气净化器已设为睡眠模式。',
      actions: [['bedroom_purifier', 'turnOn', {}, true], ['bedroom_purifier', 'selectMode', { mode: 'sleep' }, true]],
    });
    await hub.nodes.waitForValue('bedroom_purifier', 'mode', 'sleep');
    expect(await done('净化器风速调到最大')).toEqual({
      reply: '空气净化器风速已调到高档。',
      actions: [['bedroom_purifier', 'setFanSpeed', { speed: 'high' }, true]],
    });
    await hub.nodes.waitForValue('bedroom_purifier', 'fanSpeed', 'high');
  });

  it('a mode it does not have is refused with the modes it has', async () => {
    const r = await done('set the air purifier to eco mode');
    expect(r.actions).toEqual([]);
    expect(r.reply).toBe("The air purifier can't do that; its modes are auto, sleep, turbo.");
  });

  it('"what\'s the PM2.5 in the bedroom", 卧室PM2.5多少', async () => {
    await hub.nodes.waitForValue('bedroom_purifier', 'pm25', 35);
    expect((await say("what's the PM2.5 in the bedroom")).reply).toBe('The air purifier is reading PM2.5 35 µg/m³.');
    expect((await say('卧室PM2.5多少')).reply).toBe('空气净化器PM2.5为35微克/立方米。');
    expect((await say('what is the air quality in the bedroom')).reply).toBe('The air purifier is reading PM2.5 35 µg/m³.');
  });
});

describe('a robot lawn mower: start, pause, return, battery', () => {
  it('"start mowing", "pause the mower", "send the mower back to its dock"', async () => {
    expect(await done('start mowing')).toEqual({ reply: 'Lawn mower starting to mow.', actions: [['lawn_mower', 'startMowing', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'mowing');
    await hub.nodes.waitForValue('lawn_mower', 'remainingMin', MOWER.runMin);
    expect((await say('how long until the mower is done')).reply).toBe(`The lawn mower has about ${MOWER.runMin} minutes of mowing left.`);
    expect((await say('割草机还要多久')).reply).toBe(`割草机还要大约${MOWER.runMin}分钟割完草。`);
    expect(await done('pause the mower')).toEqual({ reply: 'Lawn mower paused.', actions: [['lawn_mower', 'pauseMowing', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'paused');
    expect(await done('send the mower back to its dock')).toEqual({
      reply: 'Lawn mower returning to its dock to charge.',
      actions: [['lawn_mower', 'dockMower', {}, true]],
    });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'returning');
  });

  it('开始割草, 割草机暂停, 割草机回去充电, 割草机电量多少', async () => {
    expect(await done('开始割草')).toEqual({ reply: '割草机开始割草了。', actions: [['lawn_mower', 'startMowing', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'mowing');
    expect(await done('割草机暂停')).toEqual({ reply: '割草机已暂停。', actions: [['lawn_mower', 'pauseMowing', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'paused');
    expect(await done('割草机回去充电')).toEqual({ reply: '割草机正在回去充电。', actions: [['lawn_mower', 'dockMower', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'returning');
    expect((await say('割草机电量多少')).reply).toBe(`割草机电量${String(hub.nodes.value('lawn_mower', 'batteryPct'))}%。`);
  });
});

describe('read-only sensors answer questions', () => {
  it('contact: "is the front door open", 大门开着吗 (the lock says nothing of open; the door sensor does)', async () => {
    await hub.nodes.waitForValue('front_door_sensor', 'open', true);
    expect(await done('is the front door open')).toEqual({ reply: 'The front door sensor is open.', actions: [] });
    expect((await say('大门开着吗')).reply).toBe('大门传感器开着。');
  });

  it('smoke: "is there smoke in the kitchen", 厨房有烟吗', async () => {
    await hub.nodes.waitForValue('kitchen_smoke_alarm', 'smokeDetected', false);
    expect((await say('is there smoke in the kitchen')).reply).toBe('The smoke alarm is not detecting smoke.');
    expect((await say('厨房有烟吗')).reply).toBe('烟雾报警器没有检测到烟雾。');
  });

  it('leak: 卫生间漏水了吗, "is there a leak in the bathroom"', async () => {
    await hub.nodes.waitForValue('bathroom_leak_sensor', 'leakDetected', true);
    expect((await say('卫生间漏水了吗')).reply).toBe('漏水传感器检测到漏水。');
    expect((await say('is there a leak in the bathroom')).reply).toBe('The leak sensor is detecting a water leak.');
  });

  it('motion: 客厅有人吗, "is anyone in the living room"', async () => {
    await hub.nodes.waitForValue('living_room_sensor', 'occupied', true);
    expect((await say('客厅有人吗')).reply).toBe('客厅传感器检测到有人。');
    expect((await say('is anyone in the living room')).reply).toBe('The living room sensor is sensing someone there.');
  });

  it('battery: 传感器电量多少 answers every sensor; temperature and humidity of a room', async () => {
    expect((await say('传感器电量多少')).reply).toBe('大门传感器电量76%。客厅传感器电量88%。烟雾报警器电量90%。漏水传感器电量64%。');
    expect((await say('what is the battery of the leak sensor')).reply).toBe('The leak sensor is battery at 64 %.');
    expect((await say("what's the temperature in the living room")).reply).toBe("It's 24 °C in the living room.");
    expect((await say('客厅湿度多少')).reply).toBe('客厅湿度50%。');
  });

  it('a sensor takes no commands: asking one to switch changes nothing', async () => {
    const r = await done('turn on the smoke alarm');
    expect(r.actions).toEqual([]);
    expect(r.reply).toBe("The smoke alarm can't do that.");
  });
});

describe('the new kinds in Traditional Chinese (zh-TW) and Cantonese (zh-HK), answered in Traditional characters', () => {
  it('空氣淨化器調到睡眠模式, 割草機回去充電', async () => {
    expect(await done('空氣淨化器調到睡眠模式')).toEqual({
      reply: '空氣淨化器已設為睡眠模式。',
      actions: [['bedroom_purifier', 'turnOn', {}, true], ['bedroom_purifier', 'selectMode', { mode: 'sleep' }, true]],
    });
    await hub.nodes.waitForValue('bedroom_purifier', 'mode', 'sleep');
    expect(await done('開始割草')).toEqual({ reply: '割草機開始割草了。', actions: [['lawn_mower', 'startMowing', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'mowing');
    expect(await done('割草機回去充電')).toEqual({ reply: '割草機正在回去充電。', actions: [['lawn_mower', 'dockMower', {}, true]] });
    await hub.nodes.waitForValue('lawn_mower', 'status', 'returning');
  });

  it('衛生間漏水了嗎, 客廳有冇人, 廚房有冇煙', async () => {
    expect((await say('衛生間漏水了嗎')).reply).toBe('漏水傳感器檢測到漏水。');
    expect((await say('客廳有冇人')).reply).toBe('客廳傳感器檢測到有人。');
    expect((await say('廚房有冇煙')).reply).toBe('煙霧報警器冇檢測到煙霧。');
  });
});

describe('the new kinds are data: types declare their defaults, traits their behaviour', () => {
  it('a paired agent simulates each new type from its declaration, and the device model takes its commands', () => {
    for (const type of ['plug', 'air_purifier', 'lawn_mower'] as const) {
      const d = simulatedDevice(type, 'n-abcdef12');
      expect(d.descriptor.traits).toEqual(DEVICE_TYPES[type].simulated.traits);
      expect(d.state).toEqual(DEVICE_TYPES[type].simulated.state);
    }
    const purifier = simulatedDevice('air_purifier', 'n-abcdef12').descriptor as DeviceDescriptor;
    expect(commandEffect(purifier, {}, 'selectMode', { mode: 'turbo' })).toEqual({ mode: 'turbo' });
    expect(() => commandEffect(purifier, {}, 'selectMode', { mode: 'eco' })).toThrow(/Mode must be one of auto, sleep, turbo/);
    const mower = simulatedDevice('lawn_mower', 'n-abcdef12').descriptor as DeviceDescriptor;
    expect(commandEffect(mower, { status: 'docked' }, 'startMowing', {})).toEqual({ status: 'mowing' });
    expect(commandEffect(mower, { status: 'docked' }, 'dockMower', {})).toEqual({});
  });

  it('confirm rules come from the trait (a lock) and the type (a window), not from code about kinds', () => {
    expect(defaultConfirmRules({ type: 'lock', traits: ['lock'] })).toEqual(['unlock']);
    expect(defaultConfirmRules({ type: 'window', traits: ['position'] })).toEqual(['open']);
    expect(defaultConfirmRules({ type: 'curtain', traits: ['position'] })).toEqual([]);
    expect(defaultConfirmRules({ type: 'lawn_mower', traits: ['mower'] })).toEqual([]);
  });

  it('the simulated mower drains its battery while mowing, comes home when low, charges at its dock', async () => {
    const clock = new ManualClock();
    const d = home.devices.find((x) => x.id === 'lawn_mower')!;
    const driver = new SimulatedDriver(d, { status: 'docked', batteryPct: 30 }, { clock });
    await driver.execute('startMowing', {});
    expect(driver.state()).toMatchObject({ status: 'mowing', remainingMin: MOWER.runMin });
    clock.advance(5 * MIN);
    expect(driver.state()).toMatchObject({ status: 'mowing', remainingMin: MOWER.runMin - 5, batteryPct: Math.round(30 - 5 * MOWER.drainPctPerMin) });
    // below the low mark it gives up the run and heads home, then docks
    clock.advance(5 * MIN);
    expect(driver.state()).toMatchObject({ status: 'returning', remainingMin: 0 });
    clock.advance(MOWER.returnMs);
    expect(driver.state().status).toBe('docked');
    const docked = driver.state().batteryPct as number;
    clock.advance(10 * MIN);
    expect(driver.state().batteryPct).toBe(Math.round(docked + 10 * MOWER.chargePctPerMin));
    await driver.close();
  });

  it('the simulated purifier lowers PM2.5 while on, faster at higher speed, and the room drifts back when off', async () => {
    const clock = new ManualClock();
    const d = home.devices.find((x) => x.id === 'bedroom_purifier')!;
    const driver = new SimulatedDriver(d, { ...d.state }, { clock });
    await driver.execute('turnOn', {});
    await driver.execute('setFanSpeed', { speed: 'high' });
    clock.advance(MIN);
    expect(driver.state().pm25).toBe(Math.round(35 * (1 - PURIFIER.removalPerMin.high!)));
    clock.advance(60 * MIN);
    expect(driver.state().pm25).toBe(PURIFIER.floor);
    await driver.execute('turnOff', {});
    clock.advance(60 * MIN);
    const back = driver.state().pm25 as number;
    expect(back).toBeGreaterThan(PURIFIER.floor);
    expect(back).toBeLessThan(35);
    await driver.close();
  });
});
