/**
 * Sensors declared as data (device-adapters traits/readings.ts), end to end in English and Chinese through real
 * parts: the real hub with its embedded broker and a node-agent process hosting the sensors of
 * tests/fixtures/sensors-home.json. Questions about one sensor ("is the phone battery low", 手机在充电吗) and over
 * many ("are any batteries low", "how many", "are all", "which", 哪些, 几个, 都) are answered from what the node reports.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHome, type DeviceDescriptor } from '@steward/device-adapters';
import { BATTERY, ManualClock, SimulatedDriver, behavioursFor } from '@steward/simulators';
import { useConversationHub } from './helpers/conversation-hub.ts';

const HOME_FILE = resolve(import.meta.dirname, 'fixtures/sensors-home.json');
const home = loadHome(HOME_FILE);

const hub = useConversationHub({
  conversationPrefix: 'sensors',
  homeFile: HOME_FILE,
  home,
  ready: [['living_room_light', 'on', true], ['phone', 'batteryLow', true], ['kitchen_gas_sensor', 'gasDetected', true], ['living_room_air', 'co2Ppm', 650]],
  manualTimers: false,
});
const ask = async (text: string) => {
  const r = await hub.say(text);
  return { reply: r.reply, actions: r.actions.length };
};

describe('one sensor: its state, by the states its field declares', () => {
  it('a phone\'s battery, charging, network and presence flags', async () => {
    expect(await ask('is the phone battery low?')).toEqual({ reply: 'The phone is low on battery.', actions: 0 });
    expect(await ask('is the phone charging?')).toEqual({ reply: 'The phone is not charging.', actions: 0 });
    expect(await ask('is the phone home?')).toEqual({ reply: 'The phone is home.', actions: 0 });
    expect(await ask('手机电量低吗')).toEqual({ reply: '手机电量低。', actions: 0 });
    expect(await ask('手机在充电吗')).toEqual({ reply: '手机没有在充电。', actions: 0 });
    expect(await ask('手機喺唔喺屋企')).toEqual({ reply: '手機喺屋企。', actions: 0 });
  });

  it('detectors: gas in a room, carbon monoxide anywhere', async () => {
    expect((await ask('is there any gas in the kitchen?')).reply).toBe('The gas sensor is detecting gas.');
    expect((await ask('is carbon monoxide detected?')).reply).toBe('The co alarm is not detecting carbon monoxide.');
    expect((await ask('厨房有燃气泄漏吗')).reply).toBe('燃气传感器检测到燃气。');
    expect((await ask('检测到一氧化碳了吗')).reply).toBe('一氧化碳报警器没有检测到一氧化碳。');
  });

  it('meters: a quantity and its unit', async () => {
    expect((await ask('what is the co2 level in the living room?')).reply).toBe('The air sensor is reading 650 ppm.');
    expect((await ask('what is the air pressure in the living room?')).reply).toBe('The air sensor is reading 1013 hPa.');
    expect((await ask('客厅二氧化碳多少')).reply).toBe('空气传感器读数为650ppm。');
    expect((await ask('客厅气压多少')).reply).toBe('空气传感器读数为1013百帕。');
  });
});

describe('quantified questions over many sensors, counted from live state', () => {
  it('any, all, how many, which: the batteries', async () => {
    await hub.nodes.waitForValue('bedroom_sensor', 'batteryLow', true);
    await hub.nodes.waitForValue('garage_sensor', 'batteryLow', false);
    expect((await ask('are any batteries low?')).reply).toBe('Yes: the phone and the bedroom sensor are low on battery.');
    expect((await ask('are all batteries low?')).reply).toBe('No: 2 of 3 are low on battery, the phone and the bedroom sensor.');
    expect((await ask('how many batteries are low?')).reply).toBe('2 of 3 sensors are low on battery: the phone and the bedroom sensor.');
    expect((await ask('which sensors are low on battery?')).reply).toBe('The phone and the bedroom sensor are low on battery.');
    expect((await ask('哪些传感器电量低')).reply).toBe('电量低的传感器有：手机、卧室传感器。');
    expect((await ask('有几个传感器电量低')).reply).toBe('3个传感器里有2个电量低：手机、卧室传感器。');
    expect((await ask('传感器都电量低吗')).reply).toBe('不是，3个传感器里有2个电量低：手机、卧室传感器。');
    // Traditional characters and Cantonese, answered in kind
    expect((await ask('有冇傳感器電量低')).reply).toBe('有：手機、臥室傳感器電量低。');
    expect((await ask('邊啲傳感器電量低')).reply).toBe('電量低嘅傳感器有：手機、臥室傳感器。');
    expect((await ask('幾多個傳感器電量低')).reply).toBe('3個傳感器裡有2個電量低：手機、臥室傳感器。');
    expect((await ask('哪些設備連上網了')).reply).toBe('已聯網的傳感器有：手機。');
  });

  it('one sensor of the kind asked answers for itself; a switch word said to sensors is detected', async () => {
    expect((await ask('is anything vibrating?')).reply).toBe('The bedroom sensor is not detecting vibration.');
    expect((await ask('are any carbon monoxide sensors on?')).reply).toBe('The co alarm is not detecting carbon monoxide.');
    expect((await ask('how many sensors are detecting gas?')).reply).toBe('1 of 1 sensor is detecting gas: the gas sensor.');
    expect((await ask('which devices are connected?')).reply).toBe('The phone is connected.');
    // a switch word about lights stays with the lights
    expect((await ask('which lights are on?')).reply).toBe('The living room light is on.');
  });
});

describe('simulated behaviour of a battery sensor', () => {
  it('drains its battery and raises the low flag at the mark, in step with the percentage', async () => {
    const sensor: DeviceDescriptor = { id: 'door_contact', node: 'house-gateway', area: 'hallway', type: 'sensor', names: { en: ['door contact'] }, traits: ['contact', 'battery', 'batteryLow'], attributes: {}, confirm: [] } as unknown as DeviceDescriptor;
    expect(behavioursFor(sensor).length).toBe(1);
    const clock = new ManualClock();
    const startPct = BATTERY.lowPct + 1;
    const driver = new SimulatedDriver(sensor, { open: false, batteryPct: startPct, batteryLow: false }, { clock });
    const HOUR = 60 * 60_000;
    // half a percent an hour: 16 % → 15.5 % (reported 16 %, not low) → 15 % (low)
    expect(BATTERY.drainPctPerHour).toBe(0.5);
    clock.advance(HOUR);
    expect(driver.state()).toMatchObject({ batteryPct: startPct, batteryLow: false });
    clock.advance(HOUR);
    expect(driver.state()).toMatchObject({ batteryPct: BATTERY.lowPct, batteryLow: true });
  });
});
